"""Prefect flows for docclean (installed as the ``docclean_flows`` package)."""
