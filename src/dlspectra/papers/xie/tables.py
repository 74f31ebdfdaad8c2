"""The small tables and notes every Xie page shows: fit tables, paper-vs-ours comparisons, setup rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlspectra.book.page import Markdown
from dlspectra.book.results import format_value, markdown_table
from dlspectra.data import size_note
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


def likelihood_ratio_table(runs: Sequence[Run]) -> str:
    """Markdown: for each run, the likelihood-ratio comparison of the power law with the lognormal,
    exponential and truncated power law on its tested top K (:func:`dlspectra.fits.likelihood_ratio_tests`;
    Clauset, Shalizi & Newman 2009). Evidence beside the paper's KS test, not a verdict."""
    from dlspectra.fits import LR_ALTERNATIVES, likelihood_ratio_tests

    rows = []
    for r in runs:
        t = likelihood_ratio_tests(r.spectrum.eigenvalues, r.fit.k)
        rows.append([r.label, str(r.fit.k), *(f"{t[a]['R']:+.2f} (p {t[a]['p']:.2g}): {t[a]['favours']}"
                                              for a in LR_ALTERNATIVES)])
    return markdown_table(["run", "K", "vs lognormal", "vs exponential", "vs truncated power law"], rows)


LR_NOTE = ("Beside the KS test, the likelihood-ratio comparison of Clauset, Shalizi & Newman (2009) on the same "
           "top K (the `powerlaw` package's `distribution_compare`, xmin at λ_K): R > 0 favours the power law, a "
           "law is named when p < 0.1, \"neither\" when the data cannot tell them apart. Our addition: evidence, "
           "no claim rests on it.")


def fit_table(runs: list[Run], *, likelihood_ratios: bool = True) -> Markdown:
    """Our numbers in the paper's table layout and, with ``likelihood_ratios``, below it the
    :func:`likelihood_ratio_table` of the same runs (every Xie spectrum a page fits gets it)."""
    text = markdown_table(FIT_HEAD, [fit_row(r) for r in runs])
    if likelihood_ratios and runs:
        text += "\n\n" + LR_NOTE + "\n\n" + likelihood_ratio_table(runs)
    return Markdown(text)


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
    sizes = "; ".join(f"{d}: {size_note(d, p['lenet'][d]['train_n'])}, {p['lenet'][d]['epochs']} epochs"
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


# ----------------------------------------------------------------------------- d_ks/d_c at several K of one spectrum
# (xie/fig01, tab01, fig04: the claims Xie's K = 1000 alone limits, shown on one converged top-K solve)


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
