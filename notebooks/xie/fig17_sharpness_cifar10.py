# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Xie et al., Figure 17 — on CIFAR-10, a smaller ŝ goes with a smaller λ_max and a smaller trace
#
# ## What the paper shows
#
# Figure 17 (Appendix E; Figure 16 is the MNIST version) plots, one point per optimizer of the
# LeNet-on-CIFAR-10 runs, the slope magnitude $\hat s$ against the largest Hessian eigenvalue
# $\lambda_{max}$ and against the Hessian trace Tr(H): "A smaller ŝ highly correlates to a smaller
# largest eigenvalue and a smaller trace". No values of $\lambda_{max}$ or Tr(H) are printed; the
# $\hat s$ values are Table 7's (1.033-1.363).
#
# ## Setup
#
# Filled from the preset; the runs are those of `xie/fig15` (same preset, same cache entries).
# **Data:** offline CIFAR-10 is a 4,000-train / 1,000-test subset (the data layer falls back to
# it); every `ci` number is for that subset. The paper does not say how the trace is estimated;
# we use Hutchinson's estimator (Rademacher probes, as PyHessian) over the same samples as the
# spectrum. At `ci` all 11 optimizers of the paper are run, as in the paper. Expected at `ci`: the
# signs of the two rank correlations, from 11 points (one per optimizer that trained).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
from scipy.stats import spearmanr

from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.papers.xie.tables import convergence_note
from dlspectra.papers.xie.cifar import (LR_HEAD, TAB07_PAPER, cifar_spec, fig17_claims, hessian_trace,
                                        lenet_cifar_setup_rows, lr_rows, optimizer_runs, optimizer_styles,
                                        spearman_estimate)

page = start("xie/fig17", scale, device, title="LeNet on CIFAR-10: ŝ vs λ_max and Tr(H)")
page.declare(CLAIMS)
p = page.preset
# the cached runs of xie/fig15 (one LeNet per optimizer); the setup table says at which rates
runs, lrs = optimizer_runs(p, device=page.device)
rows = lenet_cifar_setup_rows(p, lrs)
rows.append(["trace", "not stated", f"Hutchinson, {p['trace_probes']} Rademacher probes, same samples as the spectrum"])
page.setup(rows)

# %% [markdown]
# ## Computation
#
# Per optimizer: the cached `xie/fig15` run ($\hat s$ from its top-K fit, $\lambda_{max} = \lambda_1$)
# and a cached Hutchinson estimate of Tr(H). The learning rates of the runs (as in `xie/fig15`):

# %%
Markdown(markdown_table(LR_HEAD, lr_rows(lrs, runs)))

# %%
traces = {opt: hessian_trace(r, cifar_spec(p), p["trace_probes"], page.device) for opt, r in runs.items()}
s = {o: r.fit.s_mle for o, r in runs.items()}
lmax = {o: r.fit.lambda_max for o, r in runs.items()}
tr = {o: traces[o][0] for o in runs}

# %% [markdown]
# ## Figure
#
# $\hat s$ against $\lambda_{max}$ (left) and against Tr(H) (right), one point per optimizer
# (error bars: the Hutchinson standard error).

# %%
style = optimizer_styles(list(lrs))
fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6))
for o in runs:
    axes[0].scatter(lmax[o], s[o], color=style[o]["color"], marker=style[o]["marker"], s=30, label=o)
    axes[1].errorbar(tr[o], s[o], xerr=traces[o][1], fmt=style[o]["marker"], ms=5, color=style[o]["color"], label=o)
axes[0].set_xlabel("λ_max")
axes[1].set_xlabel("Tr(H) (Hutchinson)")
for ax, x in zip(axes, (lmax, tr)):
    ax.set_ylabel("ŝ = 1/(β̂−1)")
    if min(x.values()) > 0:
        ax.set_xscale("log")  # λ_max and Tr(H) span decades across optimizers
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
fig.suptitle("LeNet, CIFAR-10", fontsize=10)
fig.tight_layout()

# %% [markdown]
# ## Numbers

# %%
rho_l = spearman_estimate([s[o] for o in runs], [lmax[o] for o in runs])
rho_t = spearman_estimate([s[o] for o in runs], [tr[o] for o in runs])
n_pts = len(runs)
# one-sided p-values of ρ under no association (scipy's t approximation)
p_l = float(spearmanr([s[o] for o in runs], [lmax[o] for o in runs], alternative="greater").pvalue)
p_t = float(spearmanr([s[o] for o in runs], [tr[o] for o in runs], alternative="greater").pvalue)
Markdown(markdown_table(["optimizer", "ŝ paper (Table 7)", "ŝ ours", "λ_max ours", "Tr(H) ours", "test acc. ours"],
                        [[o, f"{TAB07_PAPER[('cifar10', o)][3]:.3f}", f"{s[o]:.3f}", f"{lmax[o]:.3g}",
                          f"{tr[o]:.4g} ± {traces[o][1]:.2g}", f"{100 * runs[o].test_accuracy:.1f} %"] for o in runs])
         + f"\n\nSpearman ρ(ŝ, λ_max) = {rho_l.value:.2f}, 95 % interval [{rho_l.lo:.2f}, {rho_l.hi:.2f}] "
         f"(one-sided p = {p_l:.2g}); ρ(ŝ, Tr H) = {rho_t.value:.2f} [{rho_t.lo:.2f}, {rho_t.hi:.2f}] (p = {p_t:.2g}), "
         f"over {n_pts} optimizers (paper: no value, \"closely correlates\"). With {n_pts} points "
         f"ρ moves in steps of 12/(n(n²−1)) = {12 / (n_pts * (n_pts ** 2 - 1)):.3f}.")

# %%
print(convergence_note(list(runs.values())))

# %% [markdown]
# ## Verdict
#
# Claims (Fig. 17 caption): $\hat s$ "closely correlates" with $\lambda_{max}$ and with Tr(H),
# each decided from the 95 % interval of Spearman's ρ (Fisher's z with Fieller's variance
# 1.06/(n − 3)): it holds when the interval lies above 0, fails when it lies below, and is
# inconclusive while it straddles 0 (with 11 points, ρ ≳ 0.6 is needed to hold). The correlations
# are over the optimizers that have a run (all 11 unless a training diverged at every rate tried,
# see the learning-rate table). A claim that fails or cannot decide climbs the Hessian sample size:
# ŝ, λ_max and Tr(H) from the Hessian over a quarter of this scale's images, the same networks.

# %% tags=["hide-input"]
fig17_claims(page.claims, p, runs, lrs, traces, device=page.device)
page.finish()

# %% [markdown]
# ## Notes
#
# * **Trace estimator.** Not stated by the paper; Hutchinson with Rademacher probes over the same
#   training images as the spectrum (its standard error is shown). Weight decay is not in the Hessian.
# * **λ_max** is the top Lanczos eigenvalue of the spectrum of `xie/fig15`.
# * **Runs that did not train** (a run left at chance accuracy at the paper's rate, see `xie/fig15`)
#   are kept: a collapsed network has a tiny λ_max and trace but a steep, non-power-law top
#   spectrum (large $\hat s$), which pulls ρ down. We report ρ over all runs as the rule says.
#   A training that diverges (NaN loss) is handled as App. B reads, see `xie/fig15`'s notes.
# * **ci changes:** 4,000-image CIFAR-10 subset, 10 epochs, Hessian over 256 training images; all
#   11 optimizers, as in the paper; see `xie/fig15`.
