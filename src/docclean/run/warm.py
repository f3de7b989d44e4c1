"""Load the typo lexicons at import, then freeze them out of the garbage collector's sight.

The worker pool's forkserver imports this module once per run (see pool.py), so
every worker it forks starts with the lexicons in memory instead of spending
seconds loading them: workers are recycled every few batches.

The tables are the ones the shipped rules use, loaded from the user's cache when it
has them and built (then cached) when not (docclean.repair.lexicons); repairing a
sentence then builds anything else a default run needs, with the same arguments
(the caches are keyed by the settings: a table built for other settings would be
built again in every worker).

``gc.freeze()`` then moves everything loaded so far into a generation the
collector never scans. A full collection writes to the header of every container
it visits; in a forked worker each such write copies the page it falls on, so
without the freeze every worker soon holds a private copy of the lexicons
(measured: some 300 MB per worker).
"""

import gc

from docclean import rules
from docclean.lines import lexical
from docclean.repair import lexicons
from docclean.repair.paragraph import repair_many

STATUS = "not loaded"  # what lexicons.preload did: "loaded", "built", …
try:
    _repair = rules.load().repair
    STATUS = lexicons.preload(_repair)
    repair_many(["内蒙古自治区乌兰察布市大力培育发展大数局产业，推进筒政放权，再接再励。"], _repair)
    lexical.model()  # the line classifier's model (small; shared all the same)
except Exception as exc:  # (a broken user rules folder): the run reports it; workers then load lazily
    STATUS = f"not loaded: {exc}"
gc.freeze()
