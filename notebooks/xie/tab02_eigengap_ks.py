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

# %%
from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.xie.pipeline import lenet_run
from dlspectra.papers.xie.tables import comparison_table, lenet_setup_rows
from dlspectra.papers.xie.sharpness import gap_fit, resolved_count

page = start("xie/tab02", scale, device, title="KS statistics of the Hessian eigengaps")
p = page.preset
h = p["hessian"]
rows = lenet_setup_rows(p, p["datasets"])
rows.append(["eigengaps", "δ_k, k = 1..1000", f"k = 1..{h['k'] - 1} from the top {h['k']} eigenvalues"])
page.setup(rows)

# %% [markdown]
# ## Computation
#
# Per data set: the baseline (cached), the gaps of its top-K spectrum, Xie's power-law fit of them
# (MLE, KS distance against d_c = 1.36/√K); the fit of the eigenvalues themselves (fig01's) for the
# slope difference; and, as a diagnostic, the fit of the gaps between converged Ritz values only.

# %%
PAPER = {  # Table 6, "Eigengap" and "SGD -" rows (K = 1000)
    "mnist": {"gap": {"d_ks": 0.0153, "d_c": 0.0430, "beta": 1.550, "sigma": 0.017, "s": 1.817},
              "eig": {"d_ks": 0.00900, "d_c": 0.0430, "beta": 1.991, "sigma": 0.031, "s": 1.009}},
    "fashion-mnist": {"gap": {"d_ks": 0.0240, "d_c": 0.0430, "beta": 1.520, "sigma": 0.017, "s": 1.922},
                      "eig": {"d_ks": 0.0132, "d_c": 0.0430, "beta": 1.939, "sigma": 0.030, "s": 1.065}},
}
res = {}
for ds in p["datasets"]:
    run = lenet_run(p, ds, device=page.device, label=f"{ds}, SGD")
    n_res = resolved_count(run.spectrum, h["tol"])
    res[ds] = {"run": run, "gap": gap_fit(run.spectrum.eigenvalues),
               "resolved": gap_fit(run.spectrum.eigenvalues[:n_res])}
    print(f"{ds}: HVPs {run.spectrum.num_matvecs} (cached from fig01), converged Ritz values {n_res} of {h['k']}")

# %% [markdown]
# ## Numbers
#
# Table 2 in the paper's layout, this run:

# %%
head = ["Dataset", "Model", "Training", "Sample size", "d_ks", "d_c", "Power-Law", "β̂ ± σ", "ŝ"]
Markdown(markdown_table(head, [
    [ds, "LeNet", "SGD", str(r["gap"].fit.k), f"{r['gap'].fit.d_ks:.4f}", f"{r['gap'].fit.d_c:.4f}",
     "Yes" if r["gap"].fit.accepted else "No", f"{r['gap'].fit.beta:.3f} ± {r['gap'].fit.sigma:.3f}",
     f"{r['gap'].fit.s_mle:.3f}"] for ds, r in res.items()]))

# %% [markdown]
# Paper beside this run (gaps; the resolved-gaps diagnostic; the eigenvalues):

# %%
comparison_rows = []
for ds, r in res.items():
    comparison_rows += [(f"{ds} eigengaps", PAPER[ds]["gap"], r["gap"].fit),
                        (f"{ds} eigengaps, resolved only ({r['resolved'].fit.k})", None, r["resolved"].fit),
                        (f"{ds} eigenvalues", PAPER[ds]["eig"], r["run"].fit)]
comparison_table(comparison_rows)

# %%
for ds, r in res.items():
    print(f"{ds}: ŝ_gap − ŝ_eig = {r['gap'].fit.s_mle - r['run'].fit.s_mle:.3f} "
          f"(paper {PAPER[ds]['gap']['s'] - PAPER[ds]['eig']['s']:.3f}); resolved gaps: "
          f"{r['resolved'].fit.s_mle - r['run'].fit.s_mle:.3f}")

# %% [markdown]
# ## Verdict
#
# Per data set (catalog `xie-tab02`): gaps pass the KS test (d_ks < d_c); ŝ_gap − ŝ_eig is about 1
# (0.5 ≤ difference ≤ 1.5); and the scale-free ordering ŝ_gap > ŝ_eig. Expected at `ci`: the
# ordering only.

# %%
claims = page.claims
for ds, r in res.items():
    gf, ef = r["gap"].fit, r["run"].fit
    diff = gf.s_mle - ef.s_mle
    claims.check(f"{ds}-gaps-accepted", f"{ds}: the Hessian eigengaps are a power law", rule="d_ks(gaps) < d_c",
                 holds=gf.accepted, paper=f"accepted (d_ks {PAPER[ds]['gap']['d_ks']} < 0.0430)",
                 measured={"d_ks": gf.d_ks, "d_c": gf.d_c, "K": gf.k})
    claims.check(f"{ds}-gap-slope-plus-one", f"{ds}: the eigengap slope exceeds the eigenvalue slope by about 1",
                 rule="0.5 ≤ ŝ_gap − ŝ_eig ≤ 1.5", holds=0.5 <= diff <= 1.5,
                 paper=f"{PAPER[ds]['gap']['s'] - PAPER[ds]['eig']['s']:.3f}",
                 measured={"s_gap": gf.s_mle, "s_eig": ef.s_mle, "difference": diff})
    claims.check(f"{ds}-gaps-steeper", f"{ds}: eigengaps decay faster than eigenvalues", rule="ŝ_gap > ŝ_eig",
                 holds=gf.s_mle > ef.s_mle, measured={"s_gap": gf.s_mle, "s_eig": ef.s_mle})
page.finish()

# %% [markdown]
# ## Notes
#
# * **KS rule.** Accepted when $d_{ks} < d_c$ (the tables' rule; Section 2.3 / App. A state the
#   reverse). λ_cutoff is the smallest tested gap (Eq. 14's "λ_k" read as the K-th value).
# * **Sample size.** K + 1 eigenvalues give K gaps: 99 at `ci` (K = 100), 999 at `paper` (K = 1000;
#   the paper's "1000").
# * **Why the KS verdict is fragile.** The MLE with the cutoff at the smallest gap is dominated by
#   that one gap; gaps fluctuate about their trend by an order of magnitude, and near the bottom of a
#   partially converged Lanczos run they are differences of unconverged Ritz values. The "resolved
#   only" rows (gaps between Ritz values that met the tolerance) are a diagnostic, not a claim.
# * **Scale.** `ci`: 5,000-image subsets, 6 epochs (paper: full sets, 50 epochs MNIST, 200
#   Fashion-MNIST); Hessian over 512 training samples.
