"""A progress hook the flow reports to; the CLI plugs in a rich progress bar.

The flow also logs progress through Prefect, which is what a scheduled run
shows; this hook is for the person watching a terminal.
"""

from __future__ import annotations


class Reporter:
    def start(self, total: int, description: str) -> None: ...
    def advance(self, n: int) -> None: ...
    def stop(self) -> None: ...


_current: Reporter = Reporter()


def set_reporter(reporter: Reporter | None) -> None:
    global _current
    _current = reporter or Reporter()


def reporter() -> Reporter:
    return _current
