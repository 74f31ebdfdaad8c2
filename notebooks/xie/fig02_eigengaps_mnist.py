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
# # Xie et al., Figure 2 — the Hessian eigengaps of a trained LeNet (MNIST) follow a power law
#
# ## What the paper shows
#
# If the eigenvalues follow $\lambda_k = \lambda_1 k^{-s}$, the gaps between neighbours,
# $\delta_k = \lambda_k - \lambda_{k+1} = \lambda_k\,[1 - (k/(k+1))^{s}]$ (Eq. 9), behave as
# $(k+1)^{-(s+1)}$ for $s \approx 1$ (Eq. 10): a power law whose slope is larger by about one.
# Figure 2 plots, for the SGD-trained LeNet on MNIST, (a) $\delta_k$ against the eigenvalue rank $k$
# and (b) the same gaps re-sorted in decreasing order against their own rank, both log-log, with a
# fitted straight line. Table 2 (and the "Eigengap" row of Table 6) reports the KS test of the gaps:
# $d_{ks} = 0.0153 < d_c = 0.0430$, $\hat\beta = 1.550 \pm 0.017$, $\hat s = 1.817$, against
# $\hat s = 1.009$ for the eigenvalues — "the power exponent of eigengaps is larger than the power
# exponent of eigenvalues by ∼ 1" (here 0.81). The gaps matter because they bound how stable the
# Hessian eigenvectors are (Theorem 1, Eq. 11).
#
# ## Setup
#
# The model and its spectrum are the MNIST SGD baseline of `xie/fig01` (same cache entry): no
# new Hessian work. At `ci` the spectrum holds K = 100 eigenvalues, hence **99 gaps**
# (d_c = 1.36/√99 = 0.137) instead of the paper's 1000. We expect the *ordering* (gaps decay faster
# than eigenvalues) to hold at this scale; the KS verdict on the gaps is fragile, because the
# smallest gap sets the fit's cutoff (λ_cutoff = δ_min) and a few near-degenerate pairs give gaps
# far below the trend (see the Numbers and the Notes).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.book.page import Markdown, start
from dlspectra.papers.xie import eigengaps as eg
from dlspectra.papers.xie.claims import CLAIMS

page = start("xie/fig02", scale, device, title="Power-law eigengaps, LeNet on MNIST")
page.declare(CLAIMS)
eg.gap_setup(page)

# %% [markdown]
# ## Computation
#
# Load (or train) the baseline and its top-K spectrum, take the K − 1 gaps and fit Xie's power law
# to them (MLE with λ_cutoff = the smallest gap, KS distance, Eq. 13-14). As a diagnostic we also
# fit only the gaps between eigenvalues that met the Lanczos tolerance (residual ≤ tol·λ_1), i.e.
# the gaps the solver actually resolved; this is our addition, not the paper's protocol.

# %%
study = eg.gap_study(page.preset, page.preset["datasets"][0], device=page.device)

# %% [markdown]
# ## Figure
#
# (a) gaps against the rank of the eigenvalue they follow; the dotted line marks the last converged
# Ritz value. (b) the gaps sorted in decreasing order against their own rank, with the fitted law
# $\delta_{(j)} = \delta_{\min} (K/j)^{\hat s}$, $\hat s = 1/(\hat\beta - 1)$.

# %%
eg.gap_figure(study);

# %% [markdown]
# ## Numbers
#
# Paper (Table 6, K = 1000) beside this run; the eigenvalue row is fig01's fit of the same spectrum.
# $d_{ks}$ is the paper's statistic (the `powerlaw` package's, which decides the verdict), the
# textbook two-sided value beside it.

# %%
Markdown(eg.gap_numbers([study]))

# %% [markdown]
# ## Verdict
#
# Claims (Sec. 2.4, Fig. 2 and Table 2): the gaps pass the KS test; their slope exceeds that of the
# eigenvalues by about one (rule: 0.5 ≤ ŝ_gap − ŝ_eig ≤ 1.5; the paper measures 0.81, Eq. 10 says 1);
# and the ordering that should hold at any K: the gaps decay faster than the eigenvalues
# (ŝ_gap > ŝ_eig). All three use every gap, as the paper does. Expected at `ci`: the ordering;
# the other two depend on how the smallest gaps fall. Every gap is a difference of two
# Ritz values, so the three claims are decided only when all K eigenvalues met the Lanczos
# tolerance; otherwise they are recorded as inconclusive (with what the unconverged values say).
# A claim that fails climbs the Hessian sample size: the same statistic from the gaps of the same
# network's spectrum over a quarter of this scale's Hessian images and over all of them (K, step
# budget and tolerance unchanged); the paper's Hessian is over the whole training set (the top
# rung, not run here).

# %% tags=["hide-input"]
eg.gap_claims(page.claims, study, page.preset, device=page.device)
page.finish()

# %% [markdown]
# ## Notes
#
# * **KS decision rule.** Power law accepted when $d_{ks} < d_c$ (the rule of every table; the
#   paper's Section 2.3 and App. A state the opposite direction, which contradicts its tables).
#   $d_{ks}$ is computed as the `powerlaw` package does (the paper's tool): the fitted CDF against
#   the empirical CDF at one point per gap; the textbook two-sided value is shown beside it.
# * **How many gaps.** The paper tests 1000 gaps; K + 1 eigenvalues give K gaps, so at `ci` the
#   K = 100 baseline spectrum gives 99. Non-positive gaps (equal Ritz values) would be dropped and
#   counted; the fit is order-independent, so panel (b) is the multiset the test sees.
# * **Cutoff and resolution.** As for eigenvalues, λ_cutoff is the smallest tested value, here the
#   smallest gap, and the MLE (Eq. 14) is dominated by it: gaps scatter around their trend by an
#   order of magnitude (panel a), so the smallest of them lies far below it and pulls β̂ towards 1
#   (ŝ up). The gaps near the bottom of a partially converged Lanczos spectrum are moreover
#   differences of Ritz values whose error (their residual) can be as large as the
#   gaps themselves. The "resolved only" row fits only the gaps between converged Ritz values; it is
#   a diagnostic (not the paper's test, and no claim rests on it) and shows whether the verdict is
#   a solver artefact. A tol ≤ 1e-6 would suit the gaps better; we keep fig01's baseline spectrum
#   (its tolerance and step budget are in the setup table) so that this page costs no Hessian products.
# * **"10⁴ times".** The text says the eigenvector-stability bound at k = 100 is 10⁴ times that at
#   k = 10; with the bound ∝ (k+1)^{s+1} and s ≈ 1 the ratio is (101/11)² ≈ 84. We print the raw and
#   the fitted δ_10/δ_100 instead of testing the paper's figure.
# * **`paper` scale** takes the full-MNIST, 50-epoch baseline with K = 1000 (999 gaps).
