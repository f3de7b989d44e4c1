"""Load the typo lexicons at import, then freeze them out of the garbage collector's sight.

The worker pool's forkserver imports this module once per run (see pool.py), so
every worker it forks starts with the lexicons in memory instead of spending
seconds loading them: workers are recycled every few batches.

The lexicons are loaded by repairing a sentence with the shipped rules, so that
exactly the tables a default run uses are built, with the same arguments (their
caches are keyed by the settings: a table built for other settings would be built
again in every worker).

``gc.freeze()`` then moves everything loaded so far into a generation the
collector never scans. A full collection writes to the header of every container
it visits; in a forked worker each such write copies the page it falls on, so
without the freeze every worker soon holds a private copy of the lexicons
(measured: some 300 MB per worker).
"""

import gc

from docclean import rules
from docclean.repair.paragraph import repair_many

try:
    repair_many(["内蒙古自治区乌兰察布市大力培育发展大数局产业，推进筒政放权，再接再励。"], rules.load().repair)
except Exception:  # (a broken user rules folder): the run reports it; workers then load lazily
    pass
gc.freeze()
