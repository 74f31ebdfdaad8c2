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
# # Xie et al., Table 4 — estimated ŝ for proteins of various sizes
#
# ## What the paper shows
#
# Section 5 (main text) reports the slope for proteins of different sizes; Table 12 in the appendix repeats it. Table 4 bins the per-protein slope $\hat s = 1/(\hat\beta - 1)$ of the inverse-ANM
# spectra by size 3N_AA: 1.050 ± 0.175 (300-1000), 1.041 ± 0.119 (1000-3000), 1.002 ± 0.084
# (3000-6000). "The approximation $\hat s \approx 1$ also holds better for larger models (namely,
# proteins) in terms of the mean and the standard error" (Section 5).
#
# ## Setup
#
# The same structure set and cached computation as `xie/fig10` (and the other set pages).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.book.page import Markdown, start
from dlspectra.papers.xie import protein as xp
from dlspectra.papers.xie.claims import CLAIMS

page = start("xie/tab04", scale, device, title="ŝ of proteins by size")
page.declare(CLAIMS)
p = page.preset
page.setup(xp.set_setup_rows(p))

# %% [markdown]
# ## Computation
#
# The structure set of `xie/fig10` (pdownb's and pisces_extra's qualifying chains), cached and
# shared with the other set pages: per archive and size bin, the chains on disk, in this scale's
# set, kept (connected network, exactly six zero modes) and dropped with why.

# %%
study, missing = xp.data_note(lambda: xp.protein_set_study(p, device=str(page.device)),
                              "structure set (`pdb/pdownb`, `pdb/pisces_extra`)")
Markdown(missing or xp.counts_markdown(study))

# %% [markdown]
# ## Figure
#
# Left: distribution of $\hat s$ per size bin (App. D.4 rule, K = ⌊n/10⌋), the paper's bin means
# dashed. Right: $\hat s$ against size, with each bin's mean ± sd beside the paper's.

# %%
xp.slope_by_size_figure(study);

# %% [markdown]
# ## Numbers (Table 4 layout, with β̂ and d_ks/d_c of Table 13 beside)

# %%
Markdown(xp.bin_table(study, what=("s", "beta", "ratio"))) if study is not None else None

# %% [markdown]
# ## Verdict
#
# Rules (Table 4, Sec. 5), K = ⌊n/10⌋ (App. D.4): in each size bin the 95 % interval of the mean $\hat s$
# lies in [0.85, 1.25] (ŝ ≈ 1; inconclusive while the interval straddles an edge); the spread of $\hat s$
# shrinks from each bin to the next larger (the 95 % bootstrap interval of the largest increase of
# sd($\hat s$) lies below 0). A claim that fails or is inconclusive climbs the set size (nested
# seeded subsets of this scale's set; the paper's 9,166 on top, not run: data).

# %% tags=["hide-input"]
xp.set_claims(page.claims, study)
page.finish()

# %% [markdown]
# ## Notes
#
# * **±.** The paper calls the ± a "standard error"; with thousands of proteins per bin it can only
#   be the standard deviation across proteins, which is what we report; the interval in brackets is
#   that of our mean.
# * **Sizes.** The offline set holds 2,720 chains with 3N ≤ 1000, 475 in (1000, 3000] and only 3 in
#   (3000, 6000] (1,011-1,058 residues): the largest bin's mean and spread rest on three chains,
#   so their intervals are wide. At `ci` the two smaller bins are seeded samples (the middle bin's
#   475 dense eigenproblems alone take about 9 minutes on one thread); at `paper` every chain is used.
# * **Bins.** The paper's bins share their edges; a chain on an edge goes to the lower bin.
# * **K.** The paper's rule for the set, K = ⌊n/10⌋ (App. D.4), decides the claims.
# * **Selection.** Chains with a disconnected network or more than six zero modes are excluded as in
#   the paper; see the counts above.
