"""Figures of Xie's protein pages; each function returns a matplotlib figure (None without data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlspectra.papers.xie.protein_study import PAPER_SET, Hemoglobin, ProteinSet
from dlspectra.papers.xie.protein_tables import BIN_LABELS
from dlspectra.proteins import SIZE_BINS, ProteinSpectrum, size_bin


def plot_inverse_spectrum(ax: Any, spec: ProteinSpectrum, rules: Sequence[str | int] = ("tenth", 1000)) -> None:
    """Xie Fig. 8b: normalised σ̂_i = σ_i/σ_1 against i (log-log), with the fitted line of each K rule."""
    from dlspectra.book.plotting import rank_plot

    fits = [spec.fit(r) for r in rules]
    rank_plot(ax, spec.sigma, label=f"{spec.id}: σ̂_i = σ_i/σ_1 (n = {spec.n_modes})", fit=fits[0], normalise=True,
              color="C0")
    ax.get_lines()[-1].set_label(f"fit K = {fits[0].k}: ŝ = {fits[0].s_mle:.3f}")
    sigma1 = spec.sigma[0]
    for j, f in enumerate(fits[1:]):
        kk = np.arange(1, f.k + 1)
        ax.loglog(kk, f.lambda_cutoff / sigma1 * (f.k / kk) ** f.s_mle, "--", lw=1.2, color=f"C{j + 1}",
                  label=f"fit K = {f.k}: ŝ = {f.s_mle:.3f}")
    ax.set_xlabel("rank i")
    ax.set_ylabel("σ̂_i = σ_i / σ_1")
    ax.legend(fontsize=8)


def hemoglobin_figure(h: Hemoglobin | None, rules: Sequence[str | int], *, contrast: bool = False) -> Any:
    """Fig. 8b / 9b: the normalised spectrum of H⁺ with the fitted lines; ``contrast`` adds a panel
    with the ANM Hessian's own top-1000 eigenvalues (not a power law, App. D.2)."""
    import matplotlib.pyplot as plt

    from dlspectra.book.plotting import rank_plot

    if h is None:
        return None
    if not contrast:
        fig, ax = plt.subplots(figsize=(5.2, 4.0))
        plot_inverse_spectrum(ax, h.spec, rules)
        ax.set_title("4HHB, ANM (C-alpha, 9 Å): spectrum of H⁺")
    else:
        fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.8))
        plot_inverse_spectrum(axes[0], h.spec, rules)
        axes[0].set_title("4HHB: spectrum of H⁺ (Fig. 9b)")
        lam = h.spec.eigenvalues[h.spec.eigenvalues > 1e-6]
        rank_plot(axes[1], lam, label="eigenvalues of H", fit=h.spec.fit(1000, of="hessian"), normalise=True, color="C3")
        axes[1].set_title("4HHB: spectrum of H itself (contrast)")
        axes[1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def ratio_figure(study: ProteinSet | None) -> Any:
    """Fig. 10: d_ks/d_c per chain (K = ⌊n/10⌋) as a histogram and against 3N; right: with K = 1000."""
    import matplotlib.pyplot as plt

    if study is None:
        return None
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    ten = [r for r in study.fits["tenth"] if np.isfinite(r["ratio"])]
    ratio = np.array([r["ratio"] for r in ten])
    axes[0].hist(ratio, bins=40, color="C0", alpha=0.7, label=f"{ratio.size} chains, mean {ratio.mean():.3f}")
    for b in range(len(SIZE_BINS)):
        sel = [r for r in ten if size_bin(r["dof"]) == b]
        axes[1].scatter([r["dof"] for r in sel], [r["ratio"] for r in sel], s=6, alpha=0.5, color=f"C{b}",
                        label=f"{BIN_LABELS[b]} ({len(sel)})")
    if 1000 in study.fits:
        r1000 = np.array([r["ratio"] for r in study.fits[1000] if np.isfinite(r["ratio"])])
        axes[2].hist(r1000, bins=40, color="C1", alpha=0.7)
    for ax in axes[[0, 2]]:
        ax.axvline(1.0, color="k", ls="--", lw=1)
        ax.set_ylabel("chains")
    axes[0].set_xlabel("d_ks / d_c  (K = ⌊n/10⌋)")
    axes[0].set_title(f"paper: all < 1, mean {PAPER_SET['ratio']['mean'][3]:.3f}")
    axes[0].legend(fontsize=7)
    axes[1].axhline(1.0, color="k", ls="--", lw=1)
    axes[1].set_xscale("log")
    axes[1].set_xlabel("3N (degrees of freedom)")
    axes[1].set_ylabel("d_ks / d_c")
    axes[1].legend(fontsize=7)
    axes[2].set_xlabel("d_ks / d_c  (K = min(1000, n))")
    axes[2].set_title("Table 11's K for every chain")
    fig.tight_layout()
    return fig


def slope_by_size_figure(study: ProteinSet | None) -> Any:
    """Tables 4/12 as a figure: ŝ per size bin (paper's bin means dashed), and ŝ against 3N with the
    bins' mean ± sd beside the paper's."""
    import matplotlib.pyplot as plt

    if study is None:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    ok = [r for r in study.fits["tenth"] if np.isfinite(r["s"])]
    for b in range(len(SIZE_BINS)):
        s_bin = np.array([r["s"] for r in ok if size_bin(r["dof"]) == b])
        if s_bin.size:
            axes[0].hist(s_bin, bins=30, alpha=0.55, density=True, color=f"C{b}",
                         label=f"{BIN_LABELS[b]} ({s_bin.size})")
        axes[0].axvline(PAPER_SET["s"]["mean"][b], color=f"C{b}", ls="--", lw=1)
        lo, hi = SIZE_BINS[b]
        mid = np.sqrt(lo * hi)
        if s_bin.size > 1:
            axes[1].errorbar([mid * 1.05], [s_bin.mean()], yerr=[s_bin.std(ddof=1)], fmt="o", color=f"C{b}", capsize=3)
        axes[1].errorbar([mid / 1.05], [PAPER_SET["s"]["mean"][b]], yerr=[PAPER_SET["s"]["sd"][b]], fmt="s",
                         mfc="none", color="k", capsize=3, label="paper (mean ± sd)" if b == 0 else None)
    axes[0].set_xlabel("ŝ = 1/(β̂−1)")
    axes[0].set_ylabel("density")
    axes[0].legend(fontsize=7)
    axes[1].scatter([r["dof"] for r in ok], [r["s"] for r in ok], s=5, alpha=0.3, color="0.5", label="chains")
    axes[1].axhline(1.0, color="k", lw=0.8)
    axes[1].set_xscale("log")
    axes[1].set_xlabel("3N")
    axes[1].set_ylabel("ŝ")
    axes[1].legend(fontsize=7)
    axes[1].set_title("ŝ against size: ours (coloured, mean ± sd) and the paper's")
    fig.tight_layout()
    return fig


def distribution_figure(study: ProteinSet | None) -> Any:
    """Table 13 as a figure: distributions of β̂, ŝ and d_ks/d_c (K = ⌊n/10⌋) per bin; dashed: the paper's overall means."""
    import matplotlib.pyplot as plt

    if study is None:
        return None
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.3))
    ok = [r for r in study.fits["tenth"] if np.isfinite(r["beta"])]
    for ax, label, key in zip(axes, ("β̂", "ŝ = 1/(β̂−1)", "d_ks / d_c"), ("beta", "s", "ratio")):
        for b in range(len(SIZE_BINS)):
            v = [r[key] for r in ok if size_bin(r["dof"]) == b]
            if v:
                ax.hist(v, bins=30, alpha=0.5, density=True, color=f"C{b}", label=f"{BIN_LABELS[b]} ({len(v)})")
        ref = PAPER_SET[key]["mean"][3]
        ax.axvline(ref, color="k", ls="--", lw=1, label=f"paper mean {ref:.3f}")
        ax.set_xlabel(label)
        ax.legend(fontsize=6)
    axes[0].set_ylabel("density")
    fig.tight_layout()
    return fig
