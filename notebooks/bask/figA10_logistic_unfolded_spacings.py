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
# # Baskerville et al., Figure A.10 — unfolded spacings of the trained logistic-regression Hessian (MNIST)
#
# ## What the paper shows
#
# Figure A.10 (Appendix A) shows histograms of unfolded nearest-neighbour spacings of the Hessian
# of a trained softmax regression on MNIST, computed on batches of 64 of the training and of the
# test set, against the Wigner surmise. The claims: with the 1e-20 cut-off on near-zero
# eigenvalues the spacings follow Wigner (GOE), and train and test do not differ ("we evaluated
# the Hessians over train and test datasets separately in all cases", Sec. 6.1).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.book.page import start
from dlspectra.papers.bask import logistic_pages as lp
from dlspectra.papers.bask import pages
from dlspectra.papers.bask.claims import CLAIMS

page = start("bask/figA10", scale, device, title="Logistic MNIST (trained): unfolded spacings")
page.declare(CLAIMS)
p = page.preset
NET = lp.TRAINED
page.setup(pages.setup_rows(p, [NET], [["splits", "train (938 batches) and test (157); the authors' HDF5 files hold 1,000",
                                        f"train and test, {p['sizes']['batches']} batches each"]]))
missing = pages.missing_data(p, [NET])

# %% [markdown]
# ## Computation

# %%
study = lp.spacing_study(p, NET, page.device) if not missing else None
if missing:
    print(f"data missing: {missing}; the claims are recorded as not run")

# %% [markdown]
# ## Figure
#
# Unfolded spacings (cut-off 1e-20, 35 bins) with the Wigner surmise (red) and Poisson (grey).

# %%
if study is not None:
    lp.spacing_figure(study)

# %% [markdown]
# ## Numbers
#
# The paper gives no numbers for this figure; the Wigner reference is ⟨s⟩ = 1, var(s) = 0.273.

# %%
lp.numbers(study) if study is not None else None

# %% [markdown]
# ## Verdict
#
# Rules, from the paper's words (the claim table quotes them). **Wigner spacings** are decided only
# on the numerically non-zero eigenvalues (|λ| > P·eps·max|λ|, ≤ 576 of P per batch), unfolded
# the same way: KS(Wigner) below a GOE control's (+ 0.02, at least 0.05) and below KS(Poisson);
# the old verdict read the 1e-20 cut-off, which keeps round-off (about 70 % of the levels), and
# its KS is shown beside the new one. **No discernible difference** (train/test): the
# two-sample KS test of the non-zero spacings, p > 0.01. **GOE ratios**: ⟨r̃⟩ nearer GOE's 0.5307
# than Poisson's 0.3863 with its 95 % interval excluding Poisson (the old band [0.50, 0.56] was
# ours). A claim that fails or cannot decide climbs the number of batch spectra.

# %% tags=["hide-input"]
lp.spacing_claims(page.claims, study, NET, missing)
page.finish()

# %% [markdown]
# ## Notes
#
# * **Unfolding.** The pooled counting function of eq. (10) is interpolated linearly between pooled
#   eigenvalues: with few pooled spectra the paper's step counts put every spacing on a lattice
#   1/m_pool, and even an exact GOE then fails a KS test. Ensemble unfolding with few spectra also
#   widens the spacing distribution, so each KS distance is judged against a GOE control unfolded
#   the same way (same number of spectra); the step-count KS is kept in the claims' numbers.
# * **Trained weights.** The authors' spectrum scripts parse `--checkpoint` but never load it; we load the
#   trained weights and show the loss drop above.
# * **Rank.** A batch Hessian of softmax regression has rank ≤ 64·9 = 576, so most of the
#   P eigenvalues are structurally zero. In float64 most of those come out at round-off (~1e-13 ‖H‖), above
#   the paper's 1e-20, so the "with cut-off" spacings still contain them; the rank-aware row (only
#   |λ| > P·eps·max|λ|) is the clean test (our addition). Figure A.14 sweeps the cut-off.
# * **Scale.** At `ci` the images are average-pooled to 14×14 (P = 1,970) and the net is trained 20
#   epochs on 10,000 images; the paper uses 28×28 (P = 7,850) and 300 epochs.
