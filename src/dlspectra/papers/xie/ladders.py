"""Scale ladders of the Xie claims on the CIFAR, ResNet, FCN and eigengap pages.

A claim that fails or cannot decide at a scale carries the same statistic, decided by the same rule,
at several rungs of one setting (:func:`dlspectra.book.ladder.climb`), the paper's setting on top.
Here:

* :class:`Ladders` — the runs of a page's networks at the rungs of one axis (``"Hessian samples"``,
  ``"epochs"``, ...), each computed on first use through a ``make(setting)`` per network (so a page
  whose claims all hold computes no rung, and the rungs of two claims on one network are computed
  once; the runs are cached on disk like every run). :meth:`Ladders.climb` evaluates a claim's
  statistic at every rung from the runs of the networks it names.
* :func:`k_reread` — the ``"K re-read"`` ladder of one spectrum (the top K of one converged solve
  re-fitted at smaller, or larger, K), only for claims that K alone limits (say why in ``why_k``).
* :func:`decide` — :meth:`ClaimRecorder.decide` with the ladder built only when the claim needs one
  (it fails, cannot decide, or rests on an unconverged spectrum).
* :func:`lower_rungs` — the rung settings below a scale's own (a quarter, a half, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dlspectra.book.ladder import Ladder, climb
from dlspectra.book.rules import Rule
from dlspectra.papers.xie.pipeline import Run, fit_spectrum, top_converged

__all__ = ["Ladders", "lower_rungs", "k_reread", "decide", "not_run_ids"]


def lower_rungs(value: int, fractions: Iterable[float] = (0.25,)) -> list[int]:
    """``value`` and the settings ``fraction × value`` below it (at least 1), ascending and unique."""
    value = int(value)
    return sorted({max(1, int(round(value * f))) for f in fractions} | {value})


@dataclass
class Ladders:
    """The runs of some networks at the rungs ``settings`` of ``axis`` (see the module docstring).

    ``makers[name](setting) -> Run`` computes (or loads) network ``name`` at a rung; :meth:`seed`
    hands in a run the page already has (its own scale's rung). ``paper_setting`` / ``paper_note``:
    the paper's rung, not run at this scale, and what it would cost.
    """

    axis: str
    settings: list
    paper_setting: Any
    paper_note: str
    makers: dict[str, Callable[[Any], Run]]
    unit: str = ""
    _runs: dict = field(default_factory=dict, repr=False)

    def seed(self, name: str, setting: Any, run: Run) -> Ladders:
        """Use ``run`` as network ``name`` at ``setting`` (the page's own run); returns self."""
        self._runs[(name, setting)] = run
        return self

    def run(self, name: str, setting: Any) -> Run:
        """Network ``name`` at ``setting`` (computed on first use)."""
        key = (name, setting)
        if key not in self._runs:
            if name not in self.makers:
                raise KeyError(f"ladder over {self.axis!r}: no network {name!r}; known: {sorted(self.makers)}")
            self._runs[key] = self.makers[name](setting)
        return self._runs[key]

    def climb(self, rule: Rule, names: Sequence[str], statistic: Callable[[Callable[[str], Run]], float]) -> Ladder:
        """The ladder of ``rule``: ``statistic(get)`` at every rung, ``get(name)`` the run of
        network ``name`` there (``get.setting``: the rung's setting); a rung is inconclusive when a
        spectrum of ``names`` did not converge."""
        values, conv = [], []
        for s in self.settings:
            get = _Get(self, s)
            values.append(statistic(get))
            conv.append(all(self.run(n, s).converged for n in names))
        return climb(rule, self.axis, list(self.settings), values, converged=conv,
                     paper_setting=self.paper_setting, paper_note=self.paper_note, unit=self.unit)


class _Get:
    """``get(name)``: network ``name`` at one rung of a :class:`Ladders`; ``get.setting`` is the rung."""

    def __init__(self, ladders: Ladders, setting: Any) -> None:
        self.ladders, self.setting = ladders, setting

    def __call__(self, name: str) -> Run:
        return self.ladders.run(name, self.setting)


def k_reread(rule: Rule, runs: Sequence[Run], ks: Sequence[int], statistic: Callable[[Callable[[Run], Any]], float],
             *, paper_k: int, why_k: str, paper_note: str = "") -> Ladder:
    """The ``"K re-read"`` ladder: ``statistic(fit_at)`` at each K of ``ks`` (``fit_at(run)`` the
    power-law fit of the top K of ``run``'s spectrum), every run's top K converged or the rung is
    inconclusive. K beyond a spectrum's size are dropped; ``paper_k`` is the paper's K (a rung
    when some spectrum holds that many, else ``not run: scale``)."""
    size = min(r.spectrum.eigenvalues.size for r in runs)
    ks = sorted({int(k) for k in ks if k <= size} | ({paper_k} if paper_k <= size else set()))
    values, conv = [], []
    for k in ks:
        def fit_at(r: Run, k=k):
            return fit_spectrum(r.spectrum, k)
        values.append(statistic(fit_at))
        conv.append(all(top_converged(r.spectrum, k, r.tol) for r in runs))
    note = paper_note or f"not run: K = {paper_k} needs the top {paper_k} eigenvalues, this spectrum holds {size}"
    return climb(rule, "K re-read", ks, values, converged=conv, paper_setting=paper_k, paper_note=note, why_k=why_k)


def decide(claims: Any, claim_id: str, value: Any, *, converged: bool | None = None,
           ladder: Ladder | Callable[[], Ladder | None] | None = None, **kw: Any):
    """:meth:`~dlspectra.book.results.ClaimRecorder.decide`, building ``ladder`` (a callable) only
    when the claim needs one: its rule fails or cannot decide, or a spectrum did not converge."""
    holds = claims.spec(claim_id).rule.holds(value)
    needs = holds is not True or converged is False
    lad = (ladder() if callable(ladder) else ladder) if needs else None
    return claims.decide(claim_id, value, converged=converged, ladder=lad, **kw)


def not_run_ids(claims: Any, ids: Iterable[str], reason: str, *, note: str = "") -> list:
    """Record the declared claims ``ids`` as not run (``"data missing"`` or ``"scale"``), as
    :meth:`~dlspectra.book.results.ClaimRecorder.not_run_rest` does for all that are left."""
    out = []
    for cid in ids:
        spec = claims.spec(cid)
        c = claims.not_run(cid, spec.text, reason=reason, rule=spec.rule.sentence, paper=spec.paper, note=note)
        c.quote, c.where, c.statistic, c.declared = spec.rule.quote, spec.rule.where, spec.rule.statistic, True
        out.append(c)
    return out
