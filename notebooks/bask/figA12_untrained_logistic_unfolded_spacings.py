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
# # Baskerville et al., Figure A.12 — unfolded spacings of the untrained logistic-regression Hessian (MNIST)
#
# ## What the paper shows
#
# Figure A.12 (Appendix A) repeats Figure A.10 at the random initialisation: unfolded spacings of
# the Hessian of an *untrained* softmax regression on MNIST, on batches of 64 of the training and
# test sets, against the Wigner surmise. The claims: GOE spacings also without training ("we also
# considered randomly initialised networks", Sec. 6.1), no train/test difference, and no
# discernible difference from the trained network of Figure A.10.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
from scipy import stats as st

from dlspectra.book.page import start
from dlspectra.papers.bask import pages
from dlspectra.papers.bask.analysis import plot_spacings, stats_table, summarise

page = start("bask/figA12", scale, device, title="Logistic MNIST (untrained): unfolded spacings")
p = page.preset
NET = "logistic_init"
page.setup(pages.setup_rows(p, [NET], [["splits", "train (938 batches) and test (157); code HDF5 had 1,000 (D9)",
                                        f"train and test, {p['sizes']['batches']} batches each"]]))
missing = pages.missing_data(p, [NET])

# %% [markdown]
# ## Computation

# %%
if not missing:
    tm = pages.trained(p, NET, page.device)
    S = {split: summarise(pages.spectra(p, NET, split, page.device), f"untrained, {split}") for split in ("train", "test")}
    T = summarise(pages.spectra(p, "logistic", "test", page.device), "trained, test (Fig. A.10)")
    print(f"untrained (seeded default init): training loss {tm.metrics['train_loss']:.3f}, "
          f"test accuracy {tm.metrics['test_accuracy']:.3f}")
else:
    print(f"data missing: {missing}; the claims are recorded as not run")

# %% [markdown]
# ## Figure
#
# Unfolded spacings (cut-off 1e-20, 35 bins) with the Wigner surmise (red) and Poisson (grey).

# %%
if not missing:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, split in zip(axes, ("train", "test")):
        plot_spacings(ax, S[split].spacings, title=f"untrained logistic regression, MNIST, {split}")
    axes[0].legend(fontsize=8)
    fig.tight_layout()

# %% [markdown]
# ## Numbers
#
# The paper gives no numbers for this figure; the Wigner reference is ⟨s⟩ = 1, var(s) = 0.273.

# %%
stats_table([S["train"], S["test"], T]) if not missing else None

# %% [markdown]
# ## Verdict

# %% tags=["hide-input"]
claims = page.claims
if not missing:
    for split in ("train", "test"):
        pages.claim_wigner(claims, f"wigner-{split}", f"unfolded spacings ({split} batches) follow the Wigner surmise",
                           S[split])
    ks2 = st.ks_2samp(S["train"].spacings, S["test"].spacings)
    claims.check("train-test", "no discernible difference between train and test spacings",
                 rule="two-sample KS p > 0.01", holds=bool(ks2.pvalue > 0.01),
                 measured={"ks": float(ks2.statistic), "p_value": float(ks2.pvalue)})
    ks3 = st.ks_2samp(S["test"].spacings, T.spacings)
    claims.check("trained-vs-untrained", "no discernible difference between trained and untrained spacings (test)",
                 rule="two-sample KS p > 0.01 and |KS(Wigner) difference| < 0.02",
                 holds=bool(ks3.pvalue > 0.01 and abs(S["test"].ks.ks_wigner - T.ks.ks_wigner) < 0.02),
                 measured={"ks": float(ks3.statistic), "p_value": float(ks3.pvalue),
                           "ks_wigner_untrained": S["test"].ks.ks_wigner, "ks_wigner_trained": T.ks.ks_wigner})
    pages.claim_rank_aware(claims, "goe-rank-aware", "ratios of the numerically non-zero eigenvalues (test) are GOE-like", S["test"])
else:
    for cid in ("wigner-train", "wigner-test", "train-test", "trained-vs-untrained", "goe-rank-aware"):
        claims.not_run(cid, cid, reason="data missing", note=f"missing: {missing}")
page.finish()

# %% [markdown]
# ## Notes
#
# * **Unfolding.** The pooled counting function of eq. (10) is interpolated linearly between pooled
#   eigenvalues: with few pooled spectra the paper's step counts put every spacing on a lattice
#   1/m_pool, and even an exact GOE then fails a KS test. Ensemble unfolding with few spectra also
#   widens the spacing distribution, so each KS distance is judged against a GOE control unfolded
#   the same way (same number of spectra); the step-count KS is kept in the claims' numbers.
# * **D1.** Because the authors' scripts never load a checkpoint, their "trained" spectra are also
#   at a random init; here the trained comparison (Figure A.10's test spectra) really is trained.
#   The init is PyTorch's default (Kaiming-uniform), seeded.
# * **Rank.** A batch Hessian of softmax regression has rank ≤ 64·9 = 576, so most of the
#   P eigenvalues are structurally zero. In float64 most of those come out at round-off (~1e-13 ‖H‖), above
#   the paper's 1e-20, so the "with cut-off" spacings still contain them; the rank-aware row (only
#   |λ| > P·eps·max|λ|) is the clean test (catalog 1.6, D8). Figure A.14 sweeps the cut-off.
# * **Scale.** At `ci` the images are average-pooled to 14×14 (P = 1,970) and the net is trained 20
#   epochs on 10,000 images; the paper uses 28×28 (P = 7,850) and 300 epochs.
