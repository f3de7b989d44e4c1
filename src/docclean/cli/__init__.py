"""cli: the docclean command (app), inspect and export, diffs and the HTML report."""
