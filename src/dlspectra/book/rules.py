"""Claims as data: the paper's sentence, the rule that encodes it, its test and its margin.

A page declares its claims once, as :class:`ClaimSpec` values (usually in a paper's
``claims`` registry), each with a :class:`Rule`::

    SPEC = ClaimSpec(
        "trained-accepted", "trained LeNet: the spectrum is a power law",
        rule=Rule.below("d_ks / d_c", 1.0,
                        quote="the KS test accepts the power-law hypothesis", where="Sec. 4.1"),
        ladder="epochs")

The rule writes its own sentence (``rule.sentence``), evaluates the claim (``rule.holds(value)``)
and gives a ladder the signed distance from its threshold (``rule.margin(value)``: positive when the
claim holds, negative when it fails, in the statistic's own units). A rule never changes after its
numbers are seen; the quote says which words of the paper it encodes.

Values a rule reads are a float, or an :class:`Estimate` (a point value with an interval); the
``interval_*`` and :meth:`Rule.nearer` rules decide from the interval and are inconclusive while it
straddles the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Estimate", "Rule", "ClaimSpec", "LADDER_AXES"]


@dataclass(frozen=True)
class Estimate:
    """A measured statistic with an interval: ``value`` in ``[lo, hi]`` at confidence ``level``."""

    value: float
    lo: float
    hi: float
    level: float = 0.95

    def __post_init__(self) -> None:
        for name in ("value", "lo", "hi"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise TypeError(f"Estimate.{name} must be a number, got {type(v).__name__}")
        if not (math.isnan(self.value) or self.lo <= self.value <= self.hi):
            raise ValueError(f"Estimate: value {self.value} lies outside its interval [{self.lo}, {self.hi}]")
        if not 0 < self.level < 1:
            raise ValueError(f"Estimate.level must lie in (0, 1), got {self.level}")

    def as_dict(self) -> dict:
        return {"value": float(self.value), "lo": float(self.lo), "hi": float(self.hi), "level": float(self.level)}


def _point(value: Any) -> float:
    """The point value of a float or an :class:`Estimate`."""
    if isinstance(value, Estimate):
        return float(value.value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"a rule reads a number or an Estimate, got {type(value).__name__}: {value!r}")
    return float(value)


def _interval(value: Any) -> tuple[float, float, float]:
    if not isinstance(value, Estimate):
        raise TypeError(f"an interval rule reads an Estimate (value, lo, hi), got {type(value).__name__}")
    return float(value.value), float(value.lo), float(value.hi)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class Rule:
    """One claim's test, written once.

    ``statistic``: what is measured (e.g. ``"d_ks / d_c"``); ``sentence``: the rule as shown to the
    reader; ``quote``: the paper's words the rule encodes, verbatim; ``where``: their section.
    ``test(value) -> bool | None`` (None: the statistic cannot decide); ``margin(value) -> float``:
    signed distance from the threshold, > 0 when the claim holds (read by :mod:`dlspectra.book.ladder`).
    Build rules with the constructors (:meth:`below`, :meth:`above`, :meth:`between`,
    :meth:`interval_below`, :meth:`interval_above`, :meth:`nearer`, :meth:`custom`).
    """

    statistic: str
    sentence: str
    quote: str
    where: str
    test: Callable[[Any], bool | None] = field(repr=False, compare=False)
    margin_of: Callable[[Any], float] = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.quote.strip():
            raise ValueError(f"rule {self.sentence!r}: quote the paper's sentence it encodes")
        if not self.where.strip():
            raise ValueError(f"rule {self.sentence!r}: say where the quote stands ('Sec. 5.1', 'Fig. 3 caption')")

    def holds(self, value: Any) -> bool | None:
        """The rule evaluated on ``value``: True, False, or None (inconclusive). NaN is inconclusive."""
        try:
            if math.isnan(_point(value)):
                return None
        except TypeError:
            pass  # a custom rule may read a structure
        out = self.test(value)
        return None if out is None else bool(out)

    def margin(self, value: Any) -> float:
        """Signed distance of ``value`` from the threshold (> 0: holds); NaN when undefined."""
        try:
            return float(self.margin_of(value))
        except (TypeError, ValueError, ZeroDivisionError):
            return float("nan")

    # -- constructors ------------------------------------------------------------------
    @classmethod
    def below(cls, statistic: str, bound: float, *, quote: str, where: str, sentence: str = "") -> Rule:
        """Holds when the statistic is < ``bound``; margin ``bound - x``."""
        return cls(statistic, sentence or f"{statistic} < {_fmt(bound)}", quote, where,
                   lambda v: _point(v) < bound, lambda v: bound - _point(v))

    @classmethod
    def above(cls, statistic: str, bound: float, *, quote: str, where: str, sentence: str = "") -> Rule:
        """Holds when the statistic is > ``bound``; margin ``x - bound``."""
        return cls(statistic, sentence or f"{statistic} > {_fmt(bound)}", quote, where,
                   lambda v: _point(v) > bound, lambda v: _point(v) - bound)

    @classmethod
    def between(cls, statistic: str, lo: float, hi: float, *, quote: str, where: str, sentence: str = "") -> Rule:
        """Holds when ``lo <= x <= hi``; margin ``min(x - lo, hi - x)``."""
        if not lo < hi:
            raise ValueError(f"Rule.between({statistic!r}): need lo < hi, got {lo}, {hi}")
        return cls(statistic, sentence or f"{_fmt(lo)} ≤ {statistic} ≤ {_fmt(hi)}", quote, where,
                   lambda v: lo <= _point(v) <= hi, lambda v: min(_point(v) - lo, hi - _point(v)))

    @classmethod
    def interval_below(cls, statistic: str, bound: float, *, quote: str, where: str, sentence: str = "") -> Rule:
        """Holds when the whole interval lies below ``bound``; fails when it lies above; else inconclusive."""
        def test(v):
            _, lo, hi = _interval(v)
            return True if hi < bound else False if lo > bound else None
        return cls(statistic, sentence or f"{statistic}: interval below {_fmt(bound)}", quote, where,
                   test, lambda v: bound - _point(v))

    @classmethod
    def interval_above(cls, statistic: str, bound: float, *, quote: str, where: str, sentence: str = "") -> Rule:
        """Holds when the whole interval lies above ``bound``; fails when it lies below; else inconclusive."""
        def test(v):
            _, lo, hi = _interval(v)
            return True if lo > bound else False if hi < bound else None
        return cls(statistic, sentence or f"{statistic}: interval above {_fmt(bound)}", quote, where,
                   test, lambda v: _point(v) - bound)

    @classmethod
    def nearer(cls, statistic: str, target: float, alternative: float, *, quote: str, where: str,
               target_name: str = "", alternative_name: str = "", sentence: str = "") -> Rule:
        """Decide ``target`` against ``alternative`` from an interval (e.g. GOE 0.5307 against Poisson 0.3863).

        Holds when the point value is nearer ``target`` and the interval excludes ``alternative``;
        fails when it is nearer ``alternative`` and the interval excludes ``target``; else
        inconclusive. Margin: ``|x - alternative| - |x - target|``.
        """
        tn = target_name or _fmt(target)
        an = alternative_name or _fmt(alternative)

        def test(v):
            x, lo, hi = _interval(v)
            near_target = abs(x - target) < abs(x - alternative)
            if near_target and not lo <= alternative <= hi:
                return True
            if not near_target and not lo <= target <= hi:
                return False
            return None
        return cls(statistic, sentence or f"{statistic} nearer {tn} than {an}, interval excluding {an}", quote, where,
                   test, lambda v: abs(_point(v) - alternative) - abs(_point(v) - target))

    @classmethod
    def custom(cls, statistic: str, sentence: str, test: Callable[[Any], bool | None],
               margin: Callable[[Any], float], *, quote: str, where: str) -> Rule:
        """A rule with its own test and margin (both read the same value); ``sentence`` states it."""
        return cls(statistic, sentence, quote, where, test, margin)


LADDER_AXES = ("epochs", "training-set size", "Hessian samples", "width", "depth", "batch spectra",
               "protein set size", "Lanczos steps", "K re-read", "other")
"""The settings a ladder climbs (see :mod:`dlspectra.book.ladder`). ``"K re-read"``: the top K of
one spectrum re-read at smaller K (only for claims that K alone limits)."""


@dataclass(frozen=True)
class ClaimSpec:
    """One claim as a page declares it, before any number is computed.

    ``claim_id``: unique on the page; ``text``: the claim in one line; ``rule``: its :class:`Rule`;
    ``paper``: the paper's value for the reference column (a number, text or a
    :class:`~dlspectra.book.reference.Reference`); ``ladder``: the setting (one of
    :data:`LADDER_AXES`) a ladder climbs when the claim fails or is inconclusive, or ``None`` with
    ``no_ladder`` saying why none can be drawn.
    """

    claim_id: str
    text: str
    rule: Rule
    paper: Any = None
    ladder: str | None = None
    no_ladder: str = ""

    def __post_init__(self) -> None:
        if not self.claim_id or any(c.isspace() for c in self.claim_id):
            raise ValueError(f"claim id must be a non-empty word, got {self.claim_id!r}")
        if self.ladder is not None and self.ladder not in LADDER_AXES:
            raise ValueError(f"claim {self.claim_id!r}: ladder axis {self.ladder!r} is not one of {LADDER_AXES}")
        if self.ladder is None and not self.no_ladder.strip():
            raise ValueError(f"claim {self.claim_id!r}: declare a ladder axis or say in no_ladder why there is none")
