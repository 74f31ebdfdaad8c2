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
# # Xie et al., Figure 16 — a smaller slope ŝ goes with a smaller λ_max and a smaller Tr(H) (LeNet, MNIST)
#
# ## What the paper shows
#
# Appendix E, Figure 16: for the LeNets trained on MNIST with the eleven optimizers of Figure 3,
# the power-law slope magnitude $\hat s$ is plotted against the two usual sharpness measures, the
# largest Hessian eigenvalue $\lambda_{\max}$ and the Hessian trace $\mathrm{Tr}(H)$, one point per
# optimizer. "A smaller $\hat s$ highly correlates to a smaller largest eigenvalue and a smaller
# trace", so $\hat s$ can serve as a sharpness measure. The paper gives the $\hat s$ values
# (Table 6) but not $\lambda_{\max}$ or Tr(H), nor how the trace was computed.
#
# ## Setup
#
# The models, spectra and fits are those of `xie/fig03` (same preset, same cache entries): all 11
# optimizers of the paper, ŝ from the top K = 50 eigenvalues at `ci`. λ_max is the top Lanczos
# eigenvalue; Tr(H) is Hutchinson's estimate with Rademacher probes (50 at `ci`, 200 at `paper`)
# over the same training samples as the spectrum (256 at `ci`). With 11 points a Spearman ρ of
# 0.5 or more is unlikely by chance alone (under independence its one-sided p-value is about 0.06):
# ρ > 0 is the claim, ρ ≥ 0.5 our stronger reading. Expected at `ci`: open — the
# optimizers differ little after 6 epochs.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra.book.page import Markdown, start
from dlspectra.book.plotting import distinct_styles
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.papers.xie.reference.ks_tables import table6_row
from dlspectra.papers.xie.tables import lenet_setup_rows
from dlspectra.papers.xie.sharpness import optimizer_runs, run_trace, spearman

page = start("xie/fig16", scale, device, title="ŝ vs λ_max and Tr(H), LeNet on MNIST")
page.declare(CLAIMS)
p = page.preset
rows = lenet_setup_rows(p, ["mnist"])
rows[2] = ["optimizer", "11 optimizers (Figure 3)", f"{len(p['optimizers'])}: {', '.join(p['optimizers'])}"]
rows.append(["ŝ from", "top 1000 eigenvalues", f"top {p['fit_k']}"])
rows.append(["Tr(H)", "not stated", f"Hutchinson, {p['trace_probes']} Rademacher probes, same samples as the spectrum"])
page.setup(rows)

# %% [markdown]
# ## Computation
#
# Load the fig03 runs (cached) and estimate each model's Hessian trace (cached; `trace_probes`
# products per model).

# %%
runs = optimizer_runs(p, device=page.device)
traces = {opt: run_trace(p, r, page.device) for opt, r in runs.items()}
s_hat = np.array([r.fit.s_mle for r in runs.values()])
lam_max = np.array([r.spectrum.eigenvalues[0] for r in runs.values()])
tr = np.array([traces[o][0] for o in runs])
tr_topk = np.array([r.spectrum.eigenvalues[:p["fit_k"]].sum() for r in runs.values()])

# %% [markdown]
# ## Figure
#
# ŝ against λ_max (left) and against Tr(H) (right), one point per optimizer; error bars on the
# trace are the Hutchinson standard errors.

# %%
style = distinct_styles(list(runs))  # one colour and marker per optimizer, as on the CIFAR pages
fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
axes[1].errorbar(tr, s_hat, xerr=[traces[o][1] for o in runs], fmt="none", ecolor="0.6", lw=1)
for ax, xs in zip(axes, (lam_max, tr)):
    for opt, x, y in zip(runs, xs, s_hat):
        ax.scatter([x], [y], **style[opt], s=30,
                   label=opt if ax is axes[1] else None)
        ax.annotate(opt, (x, y), fontsize=6.5, xytext=(3, 3), textcoords="offset points")
    ax.set_ylabel("ŝ = 1/(β̂ − 1)")
axes[1].legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
axes[0].set_xlabel("largest eigenvalue λ_max")
axes[1].set_xlabel("Tr(H) (Hutchinson)")
axes[0].set_title(f"ρ = {spearman(lam_max, s_hat):.2f}")
axes[1].set_title(f"ρ = {spearman(tr, s_hat):.2f}")
fig.tight_layout()

# %% [markdown]
# ## Numbers
#
# The paper gives only ŝ (Table 6, K = 1000); λ_max and Tr(H) are ours. "Σ top-K" is the
# part of the trace carried by the tested eigenvalues.

# %%
PAPER_S = {o: table6_row(("opt", o)).as_dict()["s"] for o in runs}  # Table 6 (K = 1000)
Markdown(markdown_table(
    ["optimizer", "ŝ paper", "ŝ ours", "λ_max", "Tr(H) ± s.e.", f"Σ top-{p['fit_k']}", "test acc."],
    [[o, f"{PAPER_S[o]:.3f}", f"{r.fit.s_mle:.3f}", f"{lam_max[i]:.3f}", f"{traces[o][0]:.1f} ± {traces[o][1]:.1f}",
      f"{tr_topk[i]:.2f}", f"{100 * r.test_accuracy:.1f} %"] for i, (o, r) in enumerate(runs.items())]))

# %%
rho_l, rho_t, rho_k = spearman(s_hat, lam_max), spearman(s_hat, tr), spearman(s_hat, tr_topk)
print(f"Spearman ρ(ŝ, λ_max) = {rho_l:.3f}, ρ(ŝ, Tr H) = {rho_t:.3f}, ρ(ŝ, Σ top-K) = {rho_k:.3f} "
      f"over {len(runs)} optimizers; Hessian-vector products for the traces: {p['trace_probes']} per model")

# %% [markdown]
# ## Verdict
#
# Claims (declared in `dlspectra.papers.xie.claims.lenet`): "A smaller ŝ highly correlates to a
# smaller largest eigenvalue and a smaller trace in Figure 16" (Sec. 4, item 1): Spearman ρ(ŝ,
# λ_max) and ρ(ŝ, Tr H) over the optimizers, each decided from its 95 % interval (Fisher's z with
# Fieller's variance): it holds when the interval lies above 0, fails when it lies below, and is
# inconclusive while it straddles 0. "Highly" has no number in the paper, so no threshold of ours
# is added. A claim that fails or cannot decide climbs the Hessian sample size (the same networks,
# spectrum and trace over a quarter and a half of this scale's images; the paper's training set on top).

# %% tags=["hide-input"]
from dlspectra.papers.xie.lenet_pages import sharpness_claims

sharpness_claims(page.claims, p, runs, traces, device=page.device)
page.finish()

# %% [markdown]
# ## Notes
#
# * **Trace.** The paper does not say how Tr(H) was obtained; Hutchinson's estimator (as in
#   PyHessian) is our reading. Σ top-K is printed beside it: it needs no extra products but is only
#   the top of the spectrum.
# * **Correlation.** The paper shows scatter plots without a coefficient; Spearman's rank
#   correlation is our measure ("highly correlates" read as ρ ≥ 0.5 in the strong claims).
# * **Scale.** `ci`: the 11 optimizers on 5,000 images for 6 epochs, Hessian over 256 samples, ŝ
#   from K = 50. `paper`: the 11 optimizers on full MNIST, 50 epochs, K = 1000, trace with 200 probes over the
#   full training set.
