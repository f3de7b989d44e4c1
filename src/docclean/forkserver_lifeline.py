"""First in the forkserver's preload list: the forkserver ends with the process that started it
(see docclean.lifeline)."""

from . import lifeline

lifeline.watch_parent()
