"""The small tables and notes every Xie page shows: fit tables, paper-vs-ours comparisons, setup rows."""

from __future__ import annotations

import numpy as np

from dlspectra.book.page import Markdown
from dlspectra.book.results import format_value, markdown_table
from dlspectra.fits import PowerLawFit

from .pipeline import Run


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
    """A sentence on Lanczos convergence of each run (unconverged runs named)."""
    bad = [r.label for r in runs if not r.spectrum.converged]
    if not bad:
        return "Every spectrum converged (all top-K Ritz residuals below the tolerance)."
    return ("Lanczos did not converge to the tolerance within the step budget for: " + ", ".join(bad)
            + ". Their top-K values are then Ritz values, which sit inside the true spectrum; the smallest"
              " of them (the tail of the rank plot) are the least accurate. Flat spectra (random networks)"
              " converge slowest.")
