"""Scale trends for the Xie claims whose statistic is not a single KS ratio (issue 13, item 4).

:mod:`dlspectra.papers.xie.tables` has the K trends of d_ks/d_c, of orderings of d_ks and of
statistics of several runs' fits. The claims here need more than the fits: an outlier count (the
fit *and* the eigenvalues), a rank-by-rank comparison of two spectra, a Spearman ρ against a
quantity that does not depend on K. :func:`statistic_trend` evaluates any ``statistic(k)`` at
increasing K on the top K of the same converged spectra (no new Hessian products) and judges the
direction with :func:`trend_direction`. :func:`trends_table` and :func:`trends_sentence` show on
a page, for every claim that fails or is inconclusive, the trend it carries or why it has none.

Every trend point is read only from converged eigenvalues: a K enters only when the top K of every
spectrum the statistic reads met the Lanczos tolerance (:func:`dlspectra.papers.xie.pipeline.top_converged`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from dlspectra.book.page import Markdown
from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, format_value, markdown_table, scale_trend

from .pipeline import Run, fit_spectrum, top_converged
from .regimes import count_outliers
from .tables import common_trend_ks, trend_direction  # noqa: F401 - re-exported: the pages' trend helpers

K_AXIS = "K (top eigenvalues tested)"
NO_TREND = "no scale trend: "
"""Prefix of a claim note that says why the claim carries no trend (read back by :func:`trends_table`)."""


def converged_settings(ks: Iterable[int], runs: Iterable[Run]) -> list[int]:
    """The settings of ``ks`` (ascending, unique) at which the top K of every run met its tolerance;
    empty when there is none (no fallback: a trend point is never read from unconverged values)."""
    runs = list(runs)
    return [k for k in sorted(set(int(k) for k in ks))
            if all(top_converged(r.spectrum, k, r.tol) for r in runs)]


def statistic_trend(runs: Iterable[Run], statistic: Callable[[int], float], *, holds: bool | None,
                    increases_toward_paper: bool, name: str, ks: Sequence[int] | None = None) -> dict | None:
    """``trend=`` for a claim whose statistic can be recomputed on the top K of its spectra.

    ``runs``: every run whose spectrum ``statistic`` reads; ``statistic(k)``: the claim's number from
    the top ``k`` eigenvalues of each (e.g. a difference of outlier counts of fits at ``k``);
    ``ks``: the settings (default :func:`common_trend_ks`), of which only those whose top K converged
    in every run are used. Returns None when the claim holds on converged spectra (no trend needed)
    or when no setting converged; else a :func:`dlspectra.book.results.scale_trend` over K whose
    ``moves`` is :func:`trend_direction`.
    """
    runs = list(runs)
    all_converged = all(r.converged for r in runs)
    if holds and all_converged:
        return None
    settings = converged_settings(common_trend_ks(runs) if ks is None else ks, runs)
    if not settings:
        return None
    values = [float(statistic(k)) for k in settings]
    return scale_trend(K_AXIS, settings, [round(v, 4) for v in values],
                       moves=trend_direction(values, increases_toward_paper=increases_toward_paper), statistic=name)


def outliers_at(run: Run, k: int, factor: float = 2.0) -> int:
    """Number of the top ``k`` eigenvalues of ``run`` more than ``factor`` × above the rank line of
    the power law fitted to those ``k`` (:func:`dlspectra.papers.xie.regimes.count_outliers` at K = k)."""
    lam = np.asarray(run.spectrum.eigenvalues, dtype=float)
    if k > lam.size:
        raise ValueError(f"outliers_at K = {k}: {run.label} holds {lam.size} eigenvalues")
    return count_outliers(fit_spectrum(run.spectrum, k), lam, factor)


def rank_dominance(lower: Run, upper: Run, k: int) -> float:
    """Fraction of the ranks 1..k at which λ_r(upper) >= λ_r(lower) (1: every one of the top ``k``
    eigenvalues of ``upper`` is at least that of ``lower``)."""
    a = np.asarray(lower.spectrum.eigenvalues, dtype=float)
    b = np.asarray(upper.spectrum.eigenvalues, dtype=float)
    if k < 1 or k > min(a.size, b.size):
        raise ValueError(f"rank_dominance K = {k}: the spectra hold {a.size} and {b.size} eigenvalues")
    return float(np.mean(b[:k] >= a[:k]))


def no_trend(reason: str) -> str:
    """A claim note saying why the claim has no scale trend (one sentence; shown by :func:`trends_table`)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a claim without a scale trend needs a stated reason")
    return NO_TREND + reason


FAILING = (NOT_REPRODUCED, INCONCLUSIVE)


def _failing(claims) -> list:
    return [c for c in claims if c.verdict in FAILING]


def _reason(note: str) -> str:
    i = note.find(NO_TREND)
    return note[i + len(NO_TREND):] if i >= 0 else "no trend computed"


def trends_table(claims) -> Markdown:
    """One row per claim of ``claims`` (the page's recorded :class:`dlspectra.book.results.Claim`)
    that is not reproduced or inconclusive: its statistic at each setting and the direction, or the
    stated reason it has no trend."""
    rows = []
    for c in _failing(claims):
        t = c.trend
        if t:
            pts = "; ".join(f"{format_value(s)}: {format_value(v)}" for s, v in zip(t["settings"], t["values"]))
            rows.append([c.claim_id, c.verdict, t.get("statistic") or "", f"{t['axis']} — {pts}", t["moves"]])
        else:
            rows.append([c.claim_id, c.verdict, "—", _reason(c.note or ""), "—"])
    if not rows:
        return Markdown("Every claim of this page is reproduced (or not run): no scale trend needed.")
    return Markdown(markdown_table(["claim", "verdict", "statistic", "settings: value", "moves"], rows))


def trends_sentence(claims) -> str:
    """One sentence counting the failing claims of ``claims`` by the direction of their trend."""
    bad = _failing(claims)
    if not bad:
        return "Every claim of this page is reproduced or not run, so none needs a scale trend."
    phrase = {"toward the paper": ("moves", "move", "toward the paper"),
              "away from the paper": ("moves", "move", "away from it"),
              "no clear trend": ("shows", "show", "no clear trend")}

    def verb(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    parts = [f"{verb(sum(1 for c in bad if c.trend and c.trend['moves'] == m), one, many)} {what}"
             for m, (one, many, what) in phrase.items()]
    none = sum(1 for c in bad if not c.trend)
    tail = f", and {verb(none, 'has', 'have')} no trend (the reason is in the table)" if none else ""
    n = len(bad)
    head = f"{n} claim{'s' if n != 1 else ''} of this page {'are' if n != 1 else 'is'} not reproduced or inconclusive"
    return f"{head}; as the setting grows, " + ", ".join(parts) + tail + "."
