"""Load the typo lexicons at import.

The worker pool's forkserver imports this module once per run (see pool.py), so
every worker it forks starts with the lexicons in memory instead of spending
seconds loading them: workers are recycled every few batches.
"""

from docclean.repair.confusion import ConfusionSettings, scorer
from docclean.repair.typos import phrase_lexicon

phrase_lexicon()
_defaults = ConfusionSettings()
scorer()._pairs(_defaults.max_context_logp)
scorer()._cover(_defaults.min_cover_zipf)
