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
# # Xie et al., Table 1 — KS statistics of LeNet Hessian spectra, random vs SGD, four data sets
#
# ## What the paper shows
#
# Table 1 backs Figure 1 with numbers: for LeNet trained by SGD on MNIST, Fashion-MNIST, CIFAR-10
# and CIFAR-100 the Kolmogorov–Smirnov distance between the top-1000 eigenvalues and the fitted
# power law is below the critical value $d_c = 0.0430$ ("Power-Law: Yes"), with
# $\hat\beta \in [1.9, 2.0]$ and $\hat s \in [1.0, 1.1]$; for the randomly initialised networks it is
# above ("No"). The values are those of Tables 6 and 7, truncated to three decimals.
#
# ## Setup
#
# Same runs as Figure 1 (the page `xie/fig01`; models and spectra come from the shared cache).
# At `ci` scale K = 100, so $d_c = 0.136$: a larger critical value lets more spectra pass, which is
# why we also record the trained-vs-random ordering, and show for MNIST how the verdicts move as K
# grows to 300. The `powerlaw` package (the library the paper used) recomputes $\hat\beta$ and
# $d_{ks}$ as an independent check of our estimator.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.data import available
from dlspectra.fits import powerlaw_package_fit
from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.papers.xie.pipeline import k_trend_runs, lenet_run
from dlspectra.papers.xie.reference.table1 import TABLE1, table1
from dlspectra.papers.xie.tables import comparison_table, convergence_note, fit_table, k_trend_table, lenet_setup_rows

page = start("xie/tab01", scale, device, title="KS statistics, random vs SGD, four data sets")
page.declare(CLAIMS)
p = page.preset
page.setup(lenet_setup_rows(p, [d for d in p["datasets"] if available(d)]))

# %% [markdown]
# ## The paper's Table 1 (reference values)

# %%
PAPER = table1()  # Table 1: d_ks to three decimals, d_c = 0.0430 for K = 1000
Markdown(markdown_table(["data set", "training", "d_ks", "d_c", "power law", "β̂ ± σ", "ŝ"],
                        [[r.dataset, r.training, str(r.d_ks), str(r.d_c), "Yes" if r.power_law else "No",
                          f"{r.beta} ± {r.sigma}" if r.beta else "", str(r.s or "")] for r in TABLE1]))

# %% [markdown]
# ## Computation

# %%
runs = {}
for ds in p["datasets"]:
    if available(ds):
        runs[(ds, "random")] = lenet_run(p, ds, random=True, device=page.device, label=f"{ds}, random")
        runs[(ds, "sgd")] = lenet_run(p, ds, device=page.device, label=f"{ds}, SGD")

# %% [markdown]
# ## Numbers: paper vs this run

# %%
comparison_table([(f"{ds}, {kind}", PAPER[(ds, kind)], runs[(ds, kind)].fit if (ds, kind) in runs else None)
                  for ds in p["datasets"] for kind in ("random", "sgd")])

# %% [markdown]
# Our full statistics, including the least-squares rank slope $\hat s_{OLS}$ and test accuracy:

# %%
fit_table(list(runs.values()), likelihood_ratios=False)  # the likelihood ratios have their own section below

# %% [markdown]
# Cross-check with the `powerlaw` package (xmin fixed to $\lambda_K$, exponent range widened):

# %%
rows = []
for (ds, kind), run in runs.items():
    ref = powerlaw_package_fit(run.spectrum.eigenvalues, run.fit.k)
    rows.append([run.label, f"{run.fit.beta:.4f}", f"{ref['beta']:.4f}", f"{run.fit.d_ks:.4f}", f"{ref['d_ks']:.4f}"])
Markdown(markdown_table(["run", "β̂ (ours)", "β̂ (powerlaw)", "d_ks (ours)", "d_ks (powerlaw)"], rows))

# %% [markdown]
# ### A stronger test: the power law against other heavy tails (evidence, not a verdict)
#
# The KS test asks only whether a power law is rejected. The likelihood-ratio comparison of
# Clauset, Shalizi & Newman (2009), as the `powerlaw` package computes it (`distribution_compare`,
# xmin fixed at λ_K), asks which of two laws fits the same top K better: R > 0 favours the power
# law; a law is named when p < 0.1, "neither" when the data cannot tell them apart. This is our
# addition (the paper does not run it) and no claim rests on it.

# %%
from dlspectra.papers.xie.tables import likelihood_ratio_table

Markdown(likelihood_ratio_table(list(runs.values())))

# %%
print(convergence_note(list(runs.values())))

# %% [markdown]
# ### How the MNIST verdicts move with K
#
# The random and the trained MNIST LeNet with one top-K solve each (the `xie/fig01` runs),
# tested at increasing K; the paper tests K = 1000.

# %%
trend = k_trend_runs(p, page.device) if available(p["k_trend"]["dataset"]) else {}
ks = p["k_trend"]["ks"]
k_trend_table(list(trend.values()), ks) if trend else None

# %% [markdown]
# ## Verdict
#
# The claims of `xie/fig01` (declared once in `dlspectra.papers.xie.claims.lenet`), decided on the
# same runs: per data set the trained LeNet passes and the random one fails the KS test (Sec. 2.3),
# their ordering (Fig. 1 caption), ŝ close to 1 (the one ŝ band, 0.7 ≤ ŝ ≤ 1.5; β̂ close to 2 is
# the same statement, ŝ = 1/(β̂ − 1), and β̂ is shown beside it) and the trained ŝ nearer 1 than
# the random one; on MNIST the contrast of trained and random at the largest K converged in both
# spectra. Ladders: epochs for the trained claims, K re-read for the random ones and the contrast.

# %% tags=["hide-input"]
from dlspectra.papers.xie.lenet_pages import trained_random_claims

missing = [ds for ds in p["datasets"] if (ds, "sgd") not in runs]
pairs = {ds: {"sgd": runs[(ds, "sgd")], "random": runs[(ds, "random")]} for ds in p["datasets"] if ds not in missing}
trained_random_claims(page.claims, p, pairs, missing, trend, device=page.device, paper=PAPER)
page.finish()

# %% [markdown]
# ## Notes
#
# * The paper's Table 1 truncates Table 6/7's values (0.0796 → 0.079); we quote Table 1 as printed.
# * $\sigma = (\hat\beta - 1)/\sqrt K$ is the `powerlaw` package's standard error; the paper never
#   writes it, but its tables match it.
# * The β̂ rule uses a band of two standard errors plus 0.1 because at K = 100 the estimator's
#   finite-K bias alone moves β̂ by ≈ 0.05 on an exact Zipf spectrum (Eq. 14 on λ_k = 1/k); the paper's band
#   [1.9, 2.0] is for K = 1000.
# * The decision rule is $d_{ks} < d_c$ ⇒ power law accepted (see `xie/fig01` for the paper's
#   contradictory sentence).
