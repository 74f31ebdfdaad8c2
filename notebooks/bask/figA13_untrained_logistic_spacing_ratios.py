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
# # Baskerville et al., Figure A.13 — spacing ratios of the untrained logistic-regression Hessian (MNIST)
#
# ## What the paper shows
#
# Figure A.13 repeats Figure A.11 at the random initialisation: spacing ratios (r < 10) of the Hessian of an untrained softmax
# regression on MNIST, for batches of 64 and the whole data set, on the training and test splits,
# against the GOE surmise $P(r)$. The claims: all four agree with the GOE, and the untrained
# network is indistinguishable from the trained one of Figure A.11. (In the authors' repository
# the untrained "train" and "test" full-data figure files are byte-identical: possibly one panel
# duplicated; catalog bask-figA13.)

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra.book.page import start
from dlspectra.papers.bask import pages
from dlspectra.papers.bask.analysis import plot_ratios, stats_table, summarise
from dlspectra.papers.bask.setups import train
from dlspectra.papers.bask.spectra import full_logistic_spectrum

NET = "logistic_init"
page = start("bask/figA13", scale, device, title="Logistic MNIST (untrained): spacing ratios")
p = page.preset
full_n = p["sizes"]["full_n"]
page.setup(pages.setup_rows(p, [NET], [
    ["full-data Hessians", "all 60,000 train / 10,000 test images; ratio cut-off: none (code, D7)",
     f"{'all' if full_n is None else f'the first {full_n:,}'} train / test images, closed form; "
     "cut-off 1e-10 and rank-aware"]]))
missing = pages.missing_data(p, [NET])

# %% [markdown]
# ## Computation

# %%
if not missing:
    tm = train(p[NET], page.device)
    S = {}
    for split in ("train", "test"):
        S[f"bs64 {split}"] = summarise(pages.spectra(p, NET, split, page.device), f"bs64, {split}", unfold=False)
        S[f"full {split}"] = summarise([full_logistic_spectrum(tm, split, full_n, device=page.device)],
                                       f"full {split}", unfold=False)
    T = summarise(pages.spectra(p, "logistic", "test", page.device), "trained bs64 test (Fig. A.11)", unfold=False)
    print(f"untrained (seeded init): training loss {tm.metrics['init_train_loss']:.3f} → {tm.metrics['train_loss']:.3f}")
else:
    print(f"data missing: {missing}; the claims are recorded as not run")

# %% [markdown]
# ## Figure
#
# Spacing ratios r < 10 (40 bins for batches, 35 for full data) with the GOE surmise (red) and the
# Poisson ratio density (grey).

# %%
if not missing:
    fig, axes = plt.subplots(2, 2, figsize=(9, 6))
    for ax, key in zip(axes.ravel(), ["bs64 train", "bs64 test", "full train", "full test"]):
        plot_ratios(ax, S[key].ratios, bins=40 if key.startswith("bs64") else 35, title=f"untrained logistic MNIST, {key}")
    fig.tight_layout()

# %% [markdown]
# ## Numbers

# %%
stats_table(list(S.values()) + [T]) if not missing else None

# %% [markdown]
# ## Verdict

# %% tags=["hide-input"]
claims = page.claims
keys = ["bs64 train", "bs64 test", "full train", "full test"]
if not missing:
    for k in keys:
        pages.claim_goe(claims, "goe-" + k.replace(" ", "-"), f"spacing ratios ({k}) follow the GOE", S[k])
    m = {k: S[k].rt.mean for k in keys}
    spread = max(m.values()) - min(m.values())
    claims.check("no-condition-effect", "no train/test or batch/full-data difference",
                 rule="spread of ⟨r̃⟩ over the four conditions < 0.02", holds=spread < 0.02,
                 measured={**m, "spread": spread})
    pages.claim_rank_aware(claims, "goe-rank-aware-full-train", "rank-aware ratios of the full training Hessian are GOE-like",
                           S["full train"])
    d = abs(S["bs64 test"].rt.mean - T.rt.mean)
    claims.check("trained-vs-untrained", "untrained ratios match the trained ones (bs64 test)",
                 rule="|⟨r̃⟩ untrained − ⟨r̃⟩ trained| < 0.02", holds=d < 0.02,
                 measured={"untrained": S["bs64 test"].rt.mean, "trained": T.rt.mean, "difference": d})
else:
    for k in keys:
        claims.not_run("goe-" + k.replace(" ", "-"), f"spacing ratios ({k}) follow the GOE", reason="data missing", note=f"missing: {missing}")
page.finish()

# %% [markdown]
# ## Notes
#
# * **Rank.** A batch Hessian has rank ≤ 576 of P; the batch rows above therefore mix ~576 genuine
#   eigenvalues with round-off near zero. The full-data Hessian is (nearly) full rank apart from
#   constant pixels, so its ratios are the cleanest test (catalog bask-figA11).
# * **Cut-offs (D7).** The authors use 1e-10 for batch ratios and 1e-5 for the untrained full-data
#   ratios; we use 1e-10 for all and add the rank-aware set.
# * **Scale.** `ci`: 14×14 MNIST (P = 1,970), 20 epochs on 10,000 images, full-data Hessians over
#   4,000 images of each split; `paper`: 28×28 (P = 7,850), 300 epochs, all images.
