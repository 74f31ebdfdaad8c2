"""Scale ladders of the Papyan claims: the claim's statistic, decided by its own
rule, at several rungs of the setting that limits it, the paper's setting as the top rung.

Rungs are presets that differ from the page's in one setting (``dict(p, width=32)``); each rung's
network is trained (and cached) like the page's own, and the same function reads the statistic
from it, so a rung is the page's computation at another setting. Rungs below the page's setting
are cheap; the paper's rung is recorded ``not run: scale`` with what it would cost.

A page decides each claim with :func:`decide`, which builds the ladder only when the claim fails
or cannot decide (a passing claim needs none, and rungs cost time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dlspectra.book.ladder import Ladder, climb
from dlspectra.book.results import ClaimRecorder

Reading = Callable[[dict], Any]
"""``reading(preset) -> value`` or ``(value, converged)``: the statistic at one rung's preset."""


def _split(out: Any) -> tuple[Any, bool | None]:
    if isinstance(out, tuple) and len(out) == 2 and (out[1] is None or isinstance(out[1], bool)):
        return out
    return out, None


def rung_presets(p: dict, key: str, settings: Sequence[Any]) -> list[dict]:
    """The page's preset ``p`` with ``p[key]`` set to each of ``settings``."""
    return [dict(p, **{key: s}) for s in settings]


def ladder_over(claims: ClaimRecorder, claim_id: str, p: dict, key: str, settings: Sequence[Any], reading: Reading, *,
                paper_setting: Any, paper_note: str, axis: str | None = None, unit: str = "",
                cache: dict | None = None) -> Ladder:
    """The ladder of ``claim_id`` over ``p[key] in settings`` (ascending; the page's own value among
    them): ``reading`` evaluated at each rung's preset, decided by the claim's declared rule.
    ``cache`` (a dict the page keeps) memoises readings shared by several claims."""
    spec = claims.spec(claim_id)
    values, conv = [], []
    for q in rung_presets(p, key, settings):
        tag = (claim_id, key, repr(q[key]))
        if cache is not None and tag in cache:
            v, c = cache[tag]
        else:
            v, c = _split(reading(q))
            if cache is not None:
                cache[tag] = (v, c)
        values.append(v)
        conv.append(c)
    return climb(spec.rule, axis or spec.ladder, list(settings), values, converged=conv, paper_setting=paper_setting,
                 paper_note=paper_note, unit=unit)


def ladder_from_values(claims: ClaimRecorder, claim_id: str, settings: Sequence[Any], values: Sequence[Any], *,
                       paper_setting: Any, paper_note: str, axis: str | None = None, unit: str = "",
                       converged: Sequence[bool | None] | None = None) -> Ladder:
    """A ladder from values the page already has (e.g. fig06's grid: the statistic with the grid
    truncated at each rung)."""
    spec = claims.spec(claim_id)
    return climb(spec.rule, axis or spec.ladder, list(settings), list(values), converged=converged,
                 paper_setting=paper_setting, paper_note=paper_note, unit=unit)


def decide(claims: ClaimRecorder, claim_id: str, value: Any, *, ladder: Callable[[], Ladder] | None = None,
           converged: bool | None = None, **kw) -> Any:
    """Decide ``claim_id`` from ``value``; when its rule fails or cannot decide (or ``converged`` is
    False), build its ladder by calling ``ladder()`` and attach it. ``kw`` go to
    :meth:`~dlspectra.book.results.ClaimRecorder.decide` (``measured``, ``note``, ``text``, ``paper``)."""
    holds = claims.spec(claim_id).rule.holds(value)
    lad = ladder() if ladder is not None and (converged is False or holds is not True) else None
    return claims.decide(claim_id, value, converged=converged, ladder=lad, **kw)
