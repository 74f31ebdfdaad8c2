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
# a fixed class-balanced subset of the clean test set (512 images at `ci`, the full 10,000 at
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
from dlspectra.papers.xie.pipeline import converged
from dlspectra.papers.xie.reference.ks_tables import table6_row
from dlspectra.papers.xie.tables import claim_trend, comparison_table, convergence_note, fits_trend, ordering_trend
from dlspectra.papers.xie.regimes import count_outliers, regime_run, setup_rows, train_metric
from dlspectra.papers.xie.trends import outliers_at, statistic_trend, trends_sentence, trends_table

page = start("xie/fig05", scale, device, title="Hessian spectrum vs training-set size")
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
runs = {n: regime_run(p, f"N = {n}", train_n=n, epochs=p["size_epochs"], split="test", device=page.device)
        for n in p["sizes"]}

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
# Claims (catalog `xie-fig05`): N = 600 fails, N ≥ 800 pass, and $d_{ks}$ falls as N grows. We
# also record the orderings: the smallest set is further from a power law than the largest and has
# more sharp outlier directions. The single-run threshold between 600 and 800 is "likely
# seed-sensitive" (catalog) and not expected to be hit exactly at `ci`.

# %% tags=["hide-input"]
claims = page.claims
fits = {n: r.fit for n, r in runs.items()}
small, large = min(runs), max(runs)
claims.check("smallest-rejected", f"N = {small}: the test-set spectrum is not a power law",
             rule="d_ks > d_c", holds=not fits[small].accepted, converged=converged(runs[small]),
             trend=claim_trend(runs[small], paper_accepts=False, holds=not fits[small].accepted), paper=PAPER.get(small),
             measured={"d_ks": fits[small].d_ks, "d_c": fits[small].d_c})
for n in runs:
    if n == small:
        continue
    claims.check(f"N{n}-accepted", f"N = {n}: the test-set spectrum is a power law", rule="d_ks < d_c",
                 holds=fits[n].accepted, converged=converged(runs[n]),
                 trend=claim_trend(runs[n], paper_accepts=True, holds=fits[n].accepted), paper=PAPER.get(n), measured={"d_ks": fits[n].d_ks, "d_c": fits[n].d_c})
sizes = list(runs)
claims.check("dks-decreases", "d_ks decreases as N grows",
             rule="d_ks strictly decreasing over the sizes run", converged=converged(*runs.values()),
             trend=fits_trend(runs, lambda f: min(f[a].d_ks - f[b].d_ks for a, b in zip(sizes, sizes[1:])),
                              holds=all(fits[a].d_ks > fits[b].d_ks for a, b in zip(sizes, sizes[1:])),
                              increases_toward_paper=True, name="min over neighbouring sizes of d_ks(smaller N) − d_ks(larger N)"), holds=all(fits[a].d_ks > fits[b].d_ks
                                                                            for a, b in zip(sizes, sizes[1:])),
             paper={n: PAPER_DKS[n] for n in PAPER_DKS}, measured={n: fits[n].d_ks for n in sizes})
claims.check("small-vs-large", "ordering: the smallest training set is further from a power law than the largest",
             rule=f"d_ks(N = {small}) > d_ks(N = {large})", holds=fits[small].d_ks > fits[large].d_ks, converged=converged(runs[small], runs[large]),
             trend=ordering_trend(runs[small], runs[large], holds=fits[small].d_ks > fits[large].d_ks),
             paper={small: PAPER_DKS.get(small), large: PAPER_DKS.get(large)},
             measured={small: fits[small].d_ks, large: fits[large].d_ks})
claims.check("sharp-directions", "ordering: the smallest training set has more sharp (outlier) directions",
             rule=f"outliers(N = {small}) > outliers(N = {large}); outlier: λ_k > 2 × fitted line",
             holds=outliers[small] > outliers[large], converged=converged(runs[small], runs[large]), measured=outliers,
             trend=statistic_trend([runs[small], runs[large]],
                                   lambda k: outliers_at(runs[small], k) - outliers_at(runs[large], k),
                                   holds=outliers[small] > outliers[large], increases_toward_paper=True,
                                   name=f"outliers(N = {small}) − outliers(N = {large}) of the fit at K"),
             note="the paper shows this in the figure only; the outlier definition is ours")
page.finish()

# %% [markdown]
# ## Scale trends
#
# For each claim that is not reproduced or inconclusive, its statistic recomputed on the top K/2
# and K eigenvalues of the same converged spectra (no new Hessian products), and whether it moves
# toward the paper's verdict as K grows toward the paper's 1000:

# %% tags=["hide-input"]
print(trends_sentence(claims.claims))
trends_table(claims.claims)

# %% [markdown]
# ## Notes
#
# * **Which Hessian.** The test-set Hessian, as the paper says for this figure; ours is over a
#   fixed class-balanced subset of clean test images (512 at `ci`).
# * **Subsets.** Class-balanced random draws with seed 0; the paper does not say how its subsets were
#   drawn, and a single seed makes the 600/800 threshold fragile (catalog ambiguity 11).
# * **Epochs.** 50 at both scales, so the smaller sets get fewer SGD steps (5 per epoch at N = 600),
#   exactly as in the paper's fixed-epoch recipe. The other ci pages use the ci baseline's 6 epochs;
#   at 6 epochs the N = 600 network would take only 30 SGD steps and stay far from the minima the
#   claim is about, so this page keeps the paper's epochs.
# * **ŝ** = 1/(β̂−1) and the KS rule $d_{ks} < d_c$ as on every Xie page (see `xie/fig01`).
