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
# # Xie et al., Figure 5 — with too little training data the Hessian spectrum is no longer a power law
#
# ## What the paper shows
#
# Figure 5 plots the Hessian spectra (log-log rank plots) of LeNets trained on MNIST subsets of
# N = 600, 800, 1,000, 3,000 and 6,000 images, the Hessian "evaluated on the same test dataset".
# Section 3: "The model trained with very limited training data finds minima with the Hessian
# spectrum that have multiple sharp directions". Table 6 gives the numbers (K = 1000,
# d_c = 0.0430): N = 600 fails the KS test (d_ks 0.205); N ≥ 800 pass, with d_ks falling as N grows
# (0.0399, 0.0198, 0.0159, 0.0151).
#
# ## Setup
#
# Only N changes from the paper's recipe (SGD-momentum, lr 0.1, B = 128, 50 epochs: a smaller set
# also gets fewer steps, as in the paper). At `ci` these small runs are cheap, so we keep the
# paper's 50 epochs and its three smallest sizes, 600, 800 and 1,000, which hold the claimed
# transition; 3,000 and 6,000 at 50 epochs are left to the `paper` scale. The Hessian is taken over
# a fixed class-balanced subset of the clean test set (256 images at `ci`, the full 10,000 at
# `paper`) and K = 50 eigenvalues are tested at `ci` (d_c = 0.192). The subsets are class-balanced
# random draws with a fixed seed (the paper does not say how it drew them). What we expect at `ci`:
# the orderings (smaller N further from a power law, more outliers) rather than the exact
# threshold of a single paper run.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt

from dlspectra.book.page import Markdown, start
from dlspectra.book.plotting import rank_plot
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.papers.xie.lenet_pages import regime_runs, size_claims, size_specs
from dlspectra.papers.xie.reference.ks_tables import table6_row
from dlspectra.papers.xie.tables import comparison_table, convergence_note
from dlspectra.papers.xie.regimes import count_outliers, setup_rows, train_metric

page = start("xie/fig05", scale, device, title="Hessian spectrum vs training-set size")
page.declare(CLAIMS)
p = page.preset
h = dict(p["hessian"], **p["regime_hessian"])
page.setup(setup_rows(p, knob=["training-set size N", "600, 800, 1000, 3000, 6000 (random subsets)",
                               ", ".join(map(str, p["sizes"])) + " (class-balanced, seed 0)"],
                      epochs=("50", str(p["size_epochs"])), baseline_spectrum=False,
                      hessian_over=("the test set", f"{h['hessian_n'] or 'all 10,000'} clean test images "
                                                    "(class-balanced, seed 0)")))

# %% [markdown]
# ## Computation
#
# One training run per size (cached), its top test-set Hessian eigenvalues by Lanczos (cached),
# the power-law fit.

# %%
specs = size_specs(p)
runs = regime_runs(p, specs, device=page.device)

# %% [markdown]
# ## Figure
#
# (a) Test-set Hessian eigenvalues against rank, with the fitted line $\lambda_k = \lambda_K (K/k)^{\hat s}$;
# (b) $d_{ks}$ against N, ours and the paper's (Table 6), with the critical values.

# %%
PAPER_DKS = {n: table6_row(("size", n)).d_ks.value for n in (600, 800, 1000, 3000, 6000)}  # Table 6
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
for i, (n, run) in enumerate(runs.items()):
    rank_plot(axes[0], run.spectrum.eigenvalues[:run.fit.k], label=f"N = {n}", fit=run.fit, color=f"C{i}")
axes[0].set_title("(a) LeNet/MNIST, Hessian on the test set")
axes[0].legend(fontsize=7)
axes[1].semilogx(list(runs), [r.fit.d_ks for r in runs.values()], "o-", label=f"ours (K = {p['fit_k']})")
axes[1].semilogx(list(PAPER_DKS), list(PAPER_DKS.values()), "s--", color="gray", label="paper (K = 1000)")
axes[1].axhline(next(iter(runs.values())).fit.d_c, color="C0", lw=0.8, ls=":", label="d_c ours")
axes[1].axhline(table6_row(("opt", "sgd")).d_c.value, color="gray", lw=0.8, ls=":", label="d_c paper")
axes[1].set_xlabel("training-set size N")
axes[1].set_ylabel("d_ks")
axes[1].set_title("(b) KS distance")
axes[1].legend(fontsize=7)
fig.tight_layout()

# %% [markdown]
# ## Numbers

# %%
PAPER = {n: table6_row(("size", n)).as_dict() for n in PAPER_DKS}  # Table 6, the N rows
comparison_table([(f"N = {n}", PAPER.get(n), r.fit) for n, r in runs.items()])

# %% [markdown]
# Training record, top eigenvalue and number of outliers (eigenvalues more than 2× above the
# fitted line) of each run:

# %%
outliers = {n: count_outliers(r.fit, r.spectrum.eigenvalues) for n, r in runs.items()}
rows = [[str(n), str(-(-n // 128) * p["size_epochs"]), f"{train_metric(r, 'train', 'loss'):.3f}",
         f"{100 * train_metric(r, 'train'):.1f} %", f"{100 * r.test_accuracy:.1f} %", f"{r.fit.lambda_max:.3g}",
         str(outliers[n]), "Yes" if r.fit.accepted else "No"] for n, r in runs.items()]
Markdown(markdown_table(["N", "SGD steps", "train loss", "train acc.", "test acc.", "λ_1 (test Hessian)",
                         "outliers", "power law"], rows))

# %%
print(convergence_note(list(runs.values())))

# %% [markdown]
# ## Verdict
#
# Claims (declared in `dlspectra.papers.xie.claims.lenet`): Table 6's verdicts per size (N = 600
# rejected, N ≥ 800 accepted; the sizes this scale does not run are recorded "not run: scale"),
# d_ks falling as N grows and the smallest set further from a power law than the largest (Table 6's
# column), and Sec. 4, item 3: "very limited training data finds minima with the Hessian spectrum
# that have multiple sharp directions" (more eigenvalues more than 2× above the fitted line at the
# smallest N than at the largest; the outlier definition is ours).
# A claim that fails or cannot decide climbs the Hessian sample size: the same trained networks,
# the spectrum over a quarter and a half of this scale's images (the first ones); the paper's
# Hessian over the whole set is the top rung, not run here.

# %% tags=["hide-input"]
size_claims(page.claims, p, specs, runs, device=page.device, paper=PAPER)
page.finish()

# %% [markdown]
# ## Notes
#
# * **Which Hessian.** The test-set Hessian, as the paper says for this figure; ours is over a
#   fixed class-balanced subset of clean test images (256 at `ci`).
# * **Subsets.** Class-balanced random draws with seed 0; the paper does not say how its subsets were
#   drawn, and a single seed makes the 600/800 threshold fragile.
# * **Epochs.** 50 at both scales, so the smaller sets get fewer SGD steps (5 per epoch at N = 600),
#   exactly as in the paper's fixed-epoch recipe. The other ci pages use the ci baseline's 6 epochs;
#   at 6 epochs the N = 600 network would take only 30 SGD steps and stay far from the minima the
#   claim is about, so this page keeps the paper's epochs.
# * **ŝ** = 1/(β̂−1) and the KS rule $d_{ks} < d_c$ as on every Xie page (see `xie/fig01`).
