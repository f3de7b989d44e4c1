"""First in the forkserver's preload list: the forkserver ends with the process that started it
(see docclean.run.lifeline)."""

from docclean.run import lifeline

lifeline.watch_parent()
