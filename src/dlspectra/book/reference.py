"""The paper's own values, one type for all three papers.

A :class:`Reference` is a value as the paper gives it, where it stands and the paper's words around
it. Pages show references only in the "paper" column; every number in "this run" is computed.
Each paper keeps its references as data (``dlspectra.papers.<paper>.reference``); a test checks
every quote (and every ``printed`` number) against the paper's text, so a mistyped value fails it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Reference"]


@dataclass(frozen=True)
class Reference:
    """One value of the paper.

    ``value``: the number (or text, or tuple) as a value; ``where``: e.g. ``"Table 6"``,
    ``"Sec. 5.1"``, ``"Fig. 16 caption"``; ``quote``: a verbatim excerpt of the paper that holds the
    value or states it; ``printed``: the number exactly as printed (``"0.00900"``) where the digits
    matter, checked against the paper's text.
    """

    value: Any
    where: str
    quote: str = ""
    printed: str = ""

    def __post_init__(self) -> None:
        if not str(self.where).strip():
            raise ValueError(f"Reference {self.value!r} needs a location ('Table 6', 'Sec. 5.1', ...)")
        if self.printed:
            try:
                float(self.printed)
            except ValueError:
                raise ValueError(f"Reference.printed must be a number as printed, got {self.printed!r}") from None

    @classmethod
    def number(cls, printed: str, where: str, quote: str = "") -> Reference:
        """A number given as printed in the paper: ``Reference.number("0.0430", "Table 5")``."""
        return cls(float(printed), where, quote, printed)

    def __float__(self) -> float:
        return float(self.value)

    def __str__(self) -> str:
        return self.printed or (f"{self.value:g}" if isinstance(self.value, float) else str(self.value))

    def as_dict(self) -> dict:
        return {"value": self.value, "where": self.where, "quote": self.quote, "printed": self.printed}
