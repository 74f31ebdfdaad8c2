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
# # Xie et al., Figure 10 — KS statistics of many protein spectra: all pass the power-law test
#
# ## What the paper shows
#
# Figure 10 shows "the KS statistics of the spectrums of 9166 kinds of protein molecule"
# (App. D.4): for each protein, $d_{ks}/d_c$ of the power-law fit of its inverse-ANM spectrum with
# λ_cutoff "the top 1/10 largest eigenvalue". "If $d_{ks}/d_c < 1$ … accept the power-law
# hypothesis. All of the protein spectrums successfully passed the power-law KS tests with
# mean($\hat s$) = 1.045 (mean($\hat\beta$) = 1.975 ± 0.128)"; Table 13 gives mean $d_{ks}/d_c$ = 0.300.
#
# ## Setup
#
# The paper's 9,166 structures are not listed and need the PDB. Offline we have 3,198 chains that
# meet all of the paper's criteria: the 747 of the data folder's `pdownb` archive and the 2,451 of
# `pisces_extra` (35 % of the paper's number). At `paper` scale every one is used; at `ci` a seeded
# sample of the two smaller size bins and all of the largest. This computation is shared with the
# `xie/tab04`, `xie/tab12` and `xie/tab13` pages.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
from dlspectra.book.page import Markdown, start
from dlspectra.papers.xie import protein as xp
from dlspectra.papers.xie.claims import CLAIMS

page = start("xie/fig10", scale, device, title="KS statistics of protein spectra")
page.declare(CLAIMS)
p = page.preset
page.setup(xp.set_setup_rows(p))

# %% [markdown]
# ## Computation
#
# For every chain: ANM Hessian (C-alpha, 9 Å), all eigenvalues (batched, float64, cached per
# chunk), the number of zero modes, then the fit of the top K of $\sigma = 1/\tilde\lambda$.
# Chains whose network is disconnected or has more than six zero modes are counted and excluded, as
# the paper excludes them ("no zero eigenvalues except for the six modes", D.4). The table gives,
# per archive and size bin, the chains on disk, in this scale's set, kept, and dropped with why.

# %%
study, missing = xp.data_note(lambda: xp.protein_set_study(p, device=str(page.device)),
                              "structure set (`pdb/pdownb`, `pdb/pisces_extra`)")
Markdown(missing or xp.counts_markdown(study) + "\n\n" + xp.textbook_line(study))

# %% [markdown]
# ## Figure
#
# Left: histogram of $d_{ks}/d_c$ per chain (App. D.4 rule, K = ⌊n/10⌋); the power law is accepted
# left of the dashed line. Middle: the same against size 3N, per bin. Right: the same statistic when
# K = 1000 is used for every chain (capped at n, i.e. the whole spectrum below 336 residues).

# %%
xp.ratio_figure(study);

# %% [markdown]
# ## Numbers

# %%
Markdown(xp.bin_table(study, what=("ratio",))) if study is not None else None

# %% [markdown]
# ## Verdict
#
# Claims (App. D.4 and Table 13), K = ⌊n/10⌋: every chain passes ($d_{ks}/d_c < 1$; one rejected chain
# fails the claim), and the mean $d_{ks}/d_c$ is about 0.30 (its 95 % interval inside [0.20, 0.40]).
# A claim that fails or is inconclusive climbs the set size: nested seeded subsets of this scale's
# set, the paper's 9,166 on top (not run: data).

# %% tags=["hide-input"]
xp.set_claims(page.claims, study)
page.finish()

# %% [markdown]
# ## Notes
#
# * **Which structures.** The paper's 9,166 PDB entries are not listed. Its criteria (X-ray,
#   ≤ 2.0 Å, no nucleic acids, < 30 % pairwise identity, 100 ≤ N_AA ≤ 2000) are those of a PISCES
#   culled list; the data folder holds C-alpha coordinates of 3,198 chains of such a list (pc30,
#   ≤ 2.0 Å, R ≤ 0.25, 2018) with 100-2000 residues: pdownb's 747 (full PDB entries) and
#   pisces_extra's 2,451 (sources `cbio`: full PDB entries; `cath00`: whole-chain CATH domains, which
#   may trim a chain's termini; `lsp`: per-chain PDB files; `dssp`: C-alpha at 0.1 Å precision). With
#   network access, `python -m dlspectra.proteins fetch` builds a larger archive from the full PISCES
#   list (11,093 chains).
# * **Six zero modes.** The paper keeps only spectra with exactly six zero modes. Chains whose 9 Å
#   network falls into pieces (11 of pisces_extra) or that have a floppy node (a terminal residue with
#   two or three contacts) have more; they are counted above, by reason, and excluded, as in the
#   paper. We cannot tell how many the paper excluded.
# * **Which spectrum and K.** $\sigma_i = 1/\tilde\lambda_i$ over the non-zero modes (App. D.2);
#   K = ⌊n/10⌋ (App. D.4) for the claims. The K = 1000 rule of Table 11 is shown for comparison: for
#   small chains it means fitting (nearly) the whole spectrum, whose small-σ end bends away from a
#   power law, so it is rejected — a property of the rule, not a claim of the paper.
# * **Bins.** The paper's bins share their edges (1000, 3000); a chain on an edge goes to the lower bin.
# * **Chains, not entries.** D.4 speaks of "chain lengths"; the set is read as single chains. (The
#   earlier second reading, whole PDB entries with their chains joined, needs every chain of an
#   entry, which pisces_extra does not hold; it is no longer shown.)
