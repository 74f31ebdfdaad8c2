"""The small tables and notes every Xie page shows: fit tables, paper-vs-ours comparisons, setup rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from dlspectra.book.page import Markdown
from dlspectra.book.results import format_value, markdown_table
from dlspectra.fits import PowerLawFit

from .pipeline import Run, fit_spectrum, top_converged


def fit_row(run: Run) -> list[str]:
    """Table 1 columns for one run: d_ks, d_c, power law?, β̂ ± σ, ŝ, ŝ_OLS, test accuracy."""
    f = run.fit
    acc = run.test_accuracy
    return [run.label, f"{f.d_ks:.4f}", f"{f.d_c:.4f}", "Yes" if f.accepted else "No",
            f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}", f"{f.s_ols:.3f}",
            f"{100 * acc:.1f} %" if acc is not None else "—"]


FIT_HEAD = ["run", "d_ks", "d_c", "power law", "β̂ ± σ", "ŝ = 1/(β̂−1)", "ŝ_OLS", "test acc."]


def fit_table(runs: list[Run]) -> Markdown:
    """Our numbers in the paper's table layout."""
    return Markdown(markdown_table(FIT_HEAD, [fit_row(r) for r in runs]))


def comparison_table(rows: list[tuple[str, dict | None, PowerLawFit | None]]) -> Markdown:
    """Paper vs this run, side by side: ``(label, paper {d_ks, beta, sigma, s}, our fit)`` per row."""
    head = ["run", "d_ks paper", "d_ks ours", "d_c paper", "d_c ours", "β̂ paper", "β̂ ours", "ŝ paper", "ŝ ours"]
    out = []
    for label, paper, fit in rows:
        paper = paper or {}
        beta_p = (f"{paper['beta']:.3f} ± {paper['sigma']:.3f}" if paper.get("sigma") is not None
                  else format_value(paper.get("beta")))
        out.append([label, format_value(paper.get("d_ks")), f"{fit.d_ks:.4f}" if fit else "not run",
                     format_value(paper.get("d_c")), f"{fit.d_c:.4f}" if fit else "—",
                     beta_p, f"{fit.beta:.3f} ± {fit.sigma:.3f}" if fit else "—",
                     format_value(paper.get("s")), f"{fit.s_mle:.3f}" if fit else "—"])
    return Markdown(markdown_table(head, out))


def lenet_setup_rows(p: dict, datasets: list[str], *, paper_epochs: str = "50 (MNIST), 200 (others)") -> list[list]:
    """Rows of the "paper vs this run" setup table for LeNet figures, read from the preset."""
    h = p["hessian"]
    sizes = "; ".join(f"{d}: {p['lenet'][d]['train_n'] or 'all'} samples, {p['lenet'][d]['epochs']} epochs"
                      for d in datasets)
    return [
        ["model", "LeNet-5 (ReLU)", "LeNet-5 (ReLU), PyTorch default init"],
        ["training data", "full training sets", sizes],
        ["optimizer", "SGD, momentum 0.9, lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 %", "same"],
        ["epochs", paper_epochs, "see training data"],
        ["Hessian over", "the training set (not stated which part)",
         f"first {h['hessian_n'] or 'all'} training samples, eval mode, no weight decay"],
        ["eigenvalues", "top 1000 by Lanczos (plots: top 6000)",
         f"top {h['k']} by Lanczos (full reorthogonalisation, ≤ {h['max_steps']} steps, tol {h['tol']:g})"],
        ["KS test", "d_c = 1.36/√K = 0.0430 (K = 1000)", f"d_c = 1.36/√K = {1.36 / np.sqrt(h['k']):.4f} (K = {h['k']})"],
        ["seed", "not reported (single runs)", str(p.get("seed", 0))],
    ]


def convergence_note(runs: list[Run]) -> str:
    """The page's convergence note: whether the tested eigenvalues of every run met the Lanczos
    tolerance, naming those that did not (the claims resting on them are recorded as inconclusive)."""
    bad = [r for r in runs if not r.converged]
    if not bad:
        return ("Convergence: the tested eigenvalues of every spectrum met the Lanczos tolerance "
                "(relative Ritz residuals below tol × λ_1).")
    worst = ", ".join(f"{r.label} (top {r.fit.k}: worst relative residual "
                      f"{float(max(r.spectrum.residuals[:r.fit.k])) / abs(float(r.spectrum.eigenvalues[0])):.0e}, "
                      f"{r.spectrum.num_matvecs} products)" for r in bad)
    return ("Convergence: Lanczos stopped at its step budget before the tested eigenvalues met the tolerance for "
            + worst + ". An unconverged Krylov space can miss eigenvalues, so the claims resting on these spectra "
              "are recorded as inconclusive, whatever their fits say.")


# ----------------------------------------------------------------------------- scale trends in K


def k_fits(run: Run, ks: list[int]) -> list[PowerLawFit]:
    """Fits of the top ``k`` eigenvalues of one spectrum for each ``k`` of ``ks`` (ascending).

    The top ``k`` of a converged top-``max(ks)`` solve are the top ``k`` eigenvalues themselves, so one
    spectrum gives the whole trend in K; ``ValueError`` when the spectrum holds fewer than ``max(ks)``.
    """
    lam_k = run.spectrum.eigenvalues.size
    if max(ks) > lam_k:
        raise ValueError(f"K trend up to K = {max(ks)} needs that many eigenvalues; {run.label} has {lam_k}")
    return [fit_spectrum(run.spectrum, k) for k in ks]


def k_converged(run: Run, ks: list[int]) -> list[bool]:
    """For each ``k`` of ``ks``: whether the top ``k`` Ritz values of ``run`` met the tolerance."""
    return [top_converged(run.spectrum, k, run.tol) for k in ks]


def trend_direction(values: Sequence[float], *, increases_toward_paper: bool) -> str:
    """"toward the paper" when ``values`` strictly rise (``increases_toward_paper``) or strictly fall
    (otherwise), "away from the paper" for the reverse, "no clear trend" for anything else (ties, a
    turn, fewer than two values)."""
    v = [float(x) for x in values]
    if len(v) < 2 or not all(np.isfinite(v)):
        return "no clear trend"
    up = all(b > a for a, b in zip(v, v[1:]))
    down = all(b < a for a, b in zip(v, v[1:]))
    good, bad = (up, down) if increases_toward_paper else (down, up)
    return "toward the paper" if good else "away from the paper" if bad else "no clear trend"


def trend_moves(ratios: list[float], paper_accepts: bool) -> str:
    """Whether ``d_ks/d_c`` at increasing settings moves toward the paper's verdict.

    The paper accepts (ratio < 1): "toward the paper" when the ratio strictly decreases, "away from the
    paper" when it strictly increases; rejects (ratio > 1): the reverse; anything else "no clear trend"
    (:func:`trend_direction`).
    """
    return trend_direction(ratios, increases_toward_paper=not paper_accepts)


def k_trend(run: Run, ks: list[int], *, paper_accepts: bool) -> dict:
    """The :func:`dlspectra.book.results.scale_trend` of ``d_ks/d_c`` over K for one run (see :func:`k_fits`)."""
    from dlspectra.book.results import scale_trend

    ks = converged_ks(ks, run)
    ratios = [f.d_ks / f.d_c for f in k_fits(run, ks)]
    return scale_trend("K (top eigenvalues tested)", list(ks), [round(x, 4) for x in ratios],
                       moves=trend_moves(ratios, paper_accepts), statistic=f"d_ks/d_c of {run.label}")


def converged_ks(ks: list[int], *runs: Run) -> list[int]:
    """The settings of ``ks`` at which the top K of every run met the tolerance (a trend is read only
    from converged eigenvalues); the smallest setting when none did."""
    ok = [k for k in ks if all(top_converged(r.spectrum, k, r.tol) for r in runs)]
    return ok or list(ks[:1])


def k_trend_table(runs: list[Run], ks: list[int]) -> Markdown:
    """d_ks, d_c and the verdict of each run at each K of ``ks`` (one spectrum per run)."""
    head = ["run", "K", "d_ks", "d_c", "d_ks/d_c", "power law", "ŝ", "top K converged"]
    rows = []
    for run in runs:
        for k, f, ok in zip(ks, k_fits(run, ks), k_converged(run, ks)):
            rows.append([run.label, str(k), f"{f.d_ks:.4f}", f"{f.d_c:.4f}", f"{f.d_ks / f.d_c:.2f}",
                         "Yes" if f.accepted else "No", f"{f.s_mle:.3f}", "yes" if ok else "no"])
    return Markdown(markdown_table(head, rows))


def k_trend_plot(ax, runs: list[Run], ks: list[int], *, paper: dict[str, float] | None = None) -> None:
    """``d_ks/d_c`` against K (log x) for each run (open markers: the top K did not converge), the
    acceptance line at 1 and, if given, the paper's ratio at K = 1000 per run label (``paper``: label -> d_ks/d_c)."""
    for i, run in enumerate(runs):
        ratios = [f.d_ks / f.d_c for f in k_fits(run, ks)]
        ax.plot(ks, ratios, "-", color=f"C{i}", label=run.label)
        for k, r, ok in zip(ks, ratios, k_converged(run, ks)):  # open marker: top K not converged
            ax.plot([k], [r], "o", color=f"C{i}", mfc=f"C{i}" if ok else "white")
        if paper and run.label in paper:
            ax.plot([1000], [paper[run.label]], "*", ms=11, color=f"C{i}", label=f"{run.label}: paper (K = 1000)")
    ax.axhline(1.0, color="0.4", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_xlabel("K (top eigenvalues tested)")
    ax.set_ylabel("d_ks / d_c   (< 1: power law accepted)")
    ax.legend(fontsize=7)


def trend_ks(run: Run) -> list[int]:
    """The K settings of a run's free trend: K/4, K/2 and K of its fitted K (those >= 20), and the
    whole computed top when the spectrum holds more eigenvalues than the fit tests."""
    k = run.fit.k
    lam = run.spectrum.eigenvalues
    whole = [int(lam.size)] if lam.size > k and bool((lam > 0).all()) else []  # a fit on the positive part stops at k
    return sorted({x for x in (k // 4, k // 2, k, *whole) if x >= 20})


def common_trend_ks(runs: Iterable[Run]) -> list[int]:
    """The K settings :func:`trend_ks` gives every run (K/4, K/2, K of
    each fitted K, those >= 20); the smallest fitted K alone when they share none."""
    runs = list(runs)
    if not runs:
        raise ValueError("common_trend_ks needs at least one run")
    common = set.intersection(*(set(trend_ks(r)) for r in runs))
    return sorted(common) or [min(r.fit.k for r in runs)]


def claim_trend(run: Run, *, paper_accepts: bool, holds: bool | None, ks: list[int] | None = None) -> dict | None:
    """``trend=`` for a claim on one run's KS verdict: :func:`k_trend` over ``ks`` (default
    :func:`trend_ks`: sub-fits of the same spectrum, no new products) when the claim fails, cannot be
    decided or rests on an unconverged spectrum; None when it holds on a converged one."""
    if holds and run.converged:
        return None
    return k_trend(run, ks or trend_ks(run), paper_accepts=paper_accepts)


def ordering_trend(further: Run, closer: Run, *, holds: bool | None, ks: list[int] | None = None) -> dict | None:
    """``trend=`` for an ordering claim d_ks(further) > d_ks(closer): the ratio of the two d_ks at
    increasing K ("toward the paper" when it strictly grows). None when the claim holds on converged spectra."""
    from dlspectra.book.results import scale_trend

    if holds and further.converged and closer.converged:
        return None
    ks = converged_ks(ks or common_trend_ks([further, closer]), further, closer)
    r = [a.d_ks / b.d_ks for a, b in zip(k_fits(further, ks), k_fits(closer, ks))]
    return scale_trend("K (top eigenvalues tested)", ks, [round(x, 4) for x in r],
                       moves=trend_direction(r, increases_toward_paper=True),
                       statistic=f"d_ks({further.label}) / d_ks({closer.label})")


def trend_table(runs: list[Run]) -> Markdown:
    """:func:`k_trend_table` of ``runs`` at their own :func:`trend_ks` (one spectrum each)."""
    head = ["run", "K", "d_ks", "d_c", "d_ks/d_c", "power law", "ŝ", "top K converged"]
    rows = []
    for run in runs:
        ks = trend_ks(run)
        for k, f, ok in zip(ks, k_fits(run, ks), k_converged(run, ks)):
            rows.append([run.label, str(k), f"{f.d_ks:.4f}", f"{f.d_c:.4f}", f"{f.d_ks / f.d_c:.2f}",
                         "Yes" if f.accepted else "No", f"{f.s_mle:.3f}", "yes" if ok else "no"])
    return Markdown(markdown_table(head, rows))


def fits_trend(runs: dict, statistic, *, holds: bool | None, increases_toward_paper: bool, name: str,
               ks: list[int] | None = None) -> dict | None:
    """``trend=`` for a claim on a statistic of several runs' fits (a Spearman ρ, a difference of ŝ, ...).

    ``statistic(fits)`` maps ``{key: PowerLawFit}`` to a number; it is evaluated on the sub-fits of
    every run at each K of ``ks`` (default: the :func:`trend_ks` common to all runs). "toward the
    paper" when it strictly grows (``increases_toward_paper``) or strictly falls (otherwise). None when
    the claim holds on converged spectra.
    """
    from dlspectra.book.results import scale_trend

    if holds and all(r.converged for r in runs.values()):
        return None
    ks = converged_ks(common_trend_ks(runs.values()) if ks is None else ks, *runs.values())
    vals = [float(statistic({key: fit_spectrum(r.spectrum, k) for key, r in runs.items()})) for k in ks]
    return scale_trend("K (top eigenvalues tested)", list(ks), [round(v, 4) for v in vals],
                       moves=trend_direction(vals, increases_toward_paper=increases_toward_paper),
                       statistic=name)
