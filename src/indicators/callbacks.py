"""The one shape of a progress callback, used by every long piece of work (reading, validation, staging,
the deck and the brief): `progress(fraction 0..1, message)`; pages draw it as a progress bar."""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """The callback used when nobody listens."""
