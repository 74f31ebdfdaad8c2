"""Scale ladders of the Baskerville claims and the one call that decides a claim.

A claim that fails or cannot decide climbs the setting that limits it, decided by its own rule at
each rung, the paper's setting as the top rung:

* **batch spectra**: the statistic over the first ``s`` of the page's batch spectra, for ``s`` about
  a third, two thirds and all of them (the page's own count); the paper's 157 test batches are the
  top rung, ``not run: scale``. Fewer spectra is what a run with fewer batches would give (the
  batches are consecutive, in data-set order), so no extra spectrum is computed.
* **Hessian samples**: images in a full-data Hessian (full-data claims), or Hessian samples per
  panel of the Gaussian-process model (Figs. 5, 6: the paper's 100 is the page's own).

:func:`decide` builds the ladder only when the claim fails or cannot decide (passing pages stay
cheap).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from dlspectra.book.ladder import Ladder, climb
from dlspectra.book.results import ClaimRecorder

__all__ = ["decide", "subset_settings", "subset_ladder", "values_ladder", "PAPER_BATCHES", "PAPER_BATCH_NOTE"]

PAPER_BATCHES = 157
PAPER_BATCH_NOTE = "the paper's 157 test batches of 64: not run at ci (the paper's networks are 4-10x larger in P)"


def decide(claims: ClaimRecorder, claim_id: str, value: Any, *, ladder: Callable[[], Ladder] | None = None,
           converged: bool | None = None, **kw):
    """Decide ``claim_id`` from ``value``; when its rule fails or cannot decide, attach ``ladder()``."""
    holds = claims.spec(claim_id).rule.holds(value)
    lad = ladder() if ladder is not None and (converged is False or holds is not True) else None
    return claims.decide(claim_id, value, converged=converged, ladder=lad, **kw)


def subset_settings(n: int, min_n: int = 2) -> list[int]:
    """About a third, two thirds and all of ``n`` (at least ``min_n``, ascending, distinct)."""
    out = sorted({max(min_n, math.ceil(n / 3)), max(min_n, math.ceil(2 * n / 3)), n})
    return [s for s in out if s <= n]


def values_ladder(claims: ClaimRecorder, claim_id: str, settings: Sequence[Any], reading: Callable[[Any], Any], *,
                  paper_setting: Any, paper_note: str, axis: str | None = None, unit: str = "",
                  notes: Sequence[str] | None = None) -> Ladder:
    """The ladder of ``claim_id``: ``reading(setting)`` at each setting, decided by the declared rule."""
    spec = claims.spec(claim_id)
    values = [reading(s) for s in settings]
    return climb(spec.rule, axis or spec.ladder, list(settings), values, paper_setting=paper_setting,
                 paper_note=paper_note, unit=unit, notes=notes)


def subset_ladder(claims: ClaimRecorder, claim_id: str, n: int, reading: Callable[[int], Any], *, min_n: int = 2,
                  paper_setting: Any = PAPER_BATCHES, paper_note: str = PAPER_BATCH_NOTE) -> Ladder:
    """A ladder over the number of batch spectra: ``reading(s)`` reads the first ``s`` spectra."""
    settings = subset_settings(n, min_n)
    return values_ladder(claims, claim_id, settings, reading, paper_setting=paper_setting, paper_note=paper_note,
                         axis="batch spectra", unit="spectra")
