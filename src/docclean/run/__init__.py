"""run: the passes a file and a document go through, the worker pool, Prefect settings and the
background server, progress and run reports."""
