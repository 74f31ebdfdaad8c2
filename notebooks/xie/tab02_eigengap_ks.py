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
# # Xie et al., Table 2 — KS statistics of the Hessian eigengaps (LeNet, MNIST and Fashion-MNIST)
#
# ## What the paper shows
#
# Table 2 tests whether the eigengaps $\delta_k = \lambda_k - \lambda_{k+1}$ of the SGD-trained
# LeNets' Hessians are power-law distributed (the figures are `xie/fig02` and `xie/fig12`). Both
# pass: MNIST $d_{ks} = 0.0153$, $\hat\beta = 1.550 \pm 0.017$, $\hat s = 1.817$; Fashion-MNIST
# $d_{ks} = 0.0240$, $\hat\beta = 1.520 \pm 0.017$, $\hat s = 1.922$, with $d_c = 0.0430$ (K = 1000).
# The main-text extraction of Table 2 lost these columns; the numbers are the "Eigengap" rows of
# Table 6. With the eigenvalue slopes of Table 6 (1.009 and 1.065), the gap slope is larger by 0.81
# and 0.86, where Eq. 10 predicts 1.
#
# ## Setup
#
# Both rows are the gaps of the fig01 SGD baselines' spectra (same cache entries, no new Hessian
# work). At `ci`: K = 100 eigenvalues → 99 gaps, d_c = 0.137. Expected at `ci`: the ordering
# ŝ_gap > ŝ_eig; the KS verdicts are fragile because the smallest of the gaps sets the cutoff
# (see `xie/fig02`, Notes).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie import eigengaps as eg
from dlspectra.papers.xie.claims import CLAIMS

page = start("xie/tab02", scale, device, title="KS statistics of the Hessian eigengaps")
page.declare(CLAIMS)
eg.gap_setup(page)

# %% [markdown]
# ## Computation
#
# Per data set: the baseline (cached), the gaps of its top-K spectrum, Xie's power-law fit of them
# (MLE, KS distance against d_c = 1.36/√K); the fit of the eigenvalues themselves (fig01's) for the
# slope difference; and, as a diagnostic, the fit of the gaps between converged Ritz values only.

# %%
studies = [eg.gap_study(page.preset, ds, device=page.device) for ds in page.preset["datasets"]]

# %% [markdown]
# ## Numbers
#
# Table 2 in the paper's layout, this run ($d_{ks}$ in the paper's convention, the `powerlaw`
# package's; the textbook two-sided value in its own column):

# %%
Markdown(markdown_table(
    ["Dataset", "Model", "Training", "Sample size", "d_ks", "d_ks textbook", "d_c", "Power-Law", "β̂ ± σ", "ŝ"],
    [[s.dataset, "LeNet", "SGD", str(f.k), f"{f.d_ks:.4f}", f"{f.d_ks_textbook:.4f}", f"{f.d_c:.4f}",
      "Yes" if f.accepted else "No", f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}"]
     for s, f in ((s, s.gaps.fit) for s in studies)]))

# %% [markdown]
# The paper (Table 6's eigengap and SGD rows, K = 1000) beside this run: the gaps, the
# resolved-gaps diagnostic and the eigenvalues.

# %%
Markdown(eg.gap_numbers(studies))

# %% [markdown]
# ## Verdict
#
# Per data set (Table 2 and Sec. 2.4): gaps pass the KS test (d_ks < d_c); ŝ_gap − ŝ_eig is about 1
# (0.5 ≤ difference ≤ 1.5); and the scale-free ordering ŝ_gap > ŝ_eig. Decided only on converged
# spectra (all K Ritz values within tolerance), otherwise inconclusive. Expected at `ci`: the
# ordering only. A claim that fails climbs the Hessian sample size (a quarter and all of this
# scale's Hessian images; the paper's whole training set is the top rung, not run here).

# %% tags=["hide-input"]
for s in studies:
    eg.gap_claims(page.claims, s, page.preset, device=page.device)
page.finish()

# %% [markdown]
# ## Notes
#
# * **KS rule.** Accepted when $d_{ks} < d_c$ (the tables' rule; Section 2.3 / App. A state the
#   reverse). λ_cutoff is the smallest tested gap (Eq. 14's "λ_k" read as the K-th value).
#   $d_{ks}$ compares the fitted CDF with the empirical one at one point per gap, as the `powerlaw`
#   package the paper used; the textbook statistic (also just after each jump) is up to 1/K larger.
# * **Sample size.** K + 1 eigenvalues give K gaps: 99 at `ci` (K = 100), 999 at `paper` (K = 1000;
#   the paper's "1000").
# * **Why the KS verdict is fragile.** The MLE with the cutoff at the smallest gap is dominated by
#   that one gap; gaps fluctuate about their trend by an order of magnitude, and near the bottom of a
#   partially converged Lanczos run they are differences of unconverged Ritz values. The "resolved
#   only" rows (gaps between Ritz values that met the tolerance) are a diagnostic, not a claim.
# * **Scale.** `ci`: 5,000-image subsets, 6 epochs (paper: full sets, 50 epochs MNIST, 200
#   Fashion-MNIST); Hessian over 256 training samples.
