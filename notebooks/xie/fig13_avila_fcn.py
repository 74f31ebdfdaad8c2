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
# # Xie et al., Figure 13 — a 2Layer-FCN trained on the (non-image) Avila data has a power-law Hessian spectrum
#
# ## What the paper shows
#
# Figure 13 plots the top 50 Hessian eigenvalues of a 2Layer-FCN trained on Avila (UCI; 10 numeric
# attributes of medieval manuscript pages, 12 writer classes) against their rank on log-log axes,
# with the fitted line: the power law is not specific to images. Table 8: K = 50,
# $d_{ks}$ = 0.0683 < $d_c$ = 0.176, $\hat\beta$ = 1.604 ± 0.085, $\hat s$ = 1.656.
#
# ## Setup
#
# The network has 2,312 parameters and Avila 10,430 training rows, so this page runs at the paper's
# size at both scales: the full training file, 50 epochs (the paper gives no Avila recipe; an
# assumption: the MNIST recipe of App. B.2), and the Hessian over all training rows with the top 50
# eigenvalues by Lanczos (on a 2,312-dimensional Hessian the step budget suffices for the top 50 to
# converge; the page reports whether they did). We add the random initialisation as a control (not in the paper). All claims are
# expected to be testable as in the paper at `ci`.

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt

from dlspectra.data import available
from dlspectra.book.page import start
from dlspectra.book.plotting import rank_plot
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.papers.xie.reference.fcn_tables import TABLE8, paper_dict
from dlspectra.papers.xie.tables import comparison_table, convergence_note, fit_table
from dlspectra.papers.xie.fcn import avila_claims, avila_run, fcn_config, fcn_params

page = start("xie/fig13", scale, device, title="2Layer-FCN on Avila")
page.declare(CLAIMS)
p = page.preset
h, a = p["avila_hessian"], p["lenet"]["avila"]
page.setup([
    ["data", "Avila (UCI), preprocessing not stated",
     f"Avila, {a['train_n'] or 'all 10,430'} training rows, attributes z-scored with training statistics"],
    ["model", "2Layer-FCN", f"10 → {p['width']} → 12, ReLU ({fcn_params(fcn_config(2, p['width']), 10, 12):,} parameters)"],
    ["optimizer", "not stated", "SGD, momentum 0.9, lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 % (the MNIST recipe, App. B.2)"],
    ["epochs", "not stated", str(a["epochs"])],
    ["Hessian over", "the training set (assumed)", f"{h['hessian_n'] or 'all'} training rows, no weight decay"],
    ["eigenvalues", "top 50 by Lanczos", f"top {h['k']} by Lanczos (≤ {h['max_steps']} steps, tol {h['tol']:g})"],
    ["KS test", "d_c = 0.176 printed (Table 5: 1.36/√50 = 0.192)", "d_c = 1.36/√K = 0.192"],
    ["seed", "not reported", str(p.get("seed", 0))],
])

# %% [markdown]
# ## Computation

# %%
have = available("avila")
if have:
    runs = {"random": avila_run(p, random=True, device=page.device, label="Avila 2Layer-FCN, random"),
            "sgd": avila_run(p, device=page.device, label="Avila 2Layer-FCN, SGD")}
    print(f"training: {runs['sgd'].trained.config.epochs} epochs; Hessian products: "
          f"{runs['sgd'].spectrum.num_matvecs} (trained), {runs['random'].spectrum.num_matvecs} (random)")
else:
    runs = {}
    print("Avila is not available on this machine: the claims are recorded as not run.")

# %% [markdown]
# ## Figure
#
# Top-50 eigenvalues against rank, log-log, with the rank law implied by the fitted density
# $\lambda_k = \lambda_K (K/k)^{\hat s}$, $\hat s = 1/(\hat\beta-1)$.

# %%
if runs:
    fig, ax = plt.subplots(figsize=(5.0, 4.0))
    rank_plot(ax, runs["sgd"].spectrum.eigenvalues, label="SGD", fit=runs["sgd"].fit, color="C0")
    rank_plot(ax, runs["random"].spectrum.eigenvalues, label="random (control)", fit=runs["random"].fit, color="C3")
    ax.set_title("2Layer-FCN, Avila")
    ax.legend(fontsize=8)
    fig.tight_layout()

# %% [markdown]
# ## Numbers
#
# Paper values from Table 8; the random network is our control (no paper value).

# %%
PAPER = paper_dict(TABLE8, ("avila",))  # Table 8, the Avila row
if runs:
    display_tables = [comparison_table([(runs["sgd"].label, PAPER, runs["sgd"].fit),
                                        (runs["random"].label, None, runs["random"].fit)]),
                      fit_table(list(runs.values()))]
    for t in display_tables:
        display(t)  # noqa: F821 - IPython builtin
    print(convergence_note(list(runs.values())))

# %% [markdown]
# ## Verdict
#
# The paper's claim (Table 8 and App. E): the trained network passes the KS test at K = 50. We
# test it against the correct critical value 0.192 (Table 5; the 0.176 printed in Table 8 is shown
# in the numbers above: no verdict of the paper changes with it). Beside it, the contrast of
# Sec. 2.3 ("reject the power-law hypothesis for random neural networks"): the random network's
# spectrum is rejected, and the contrast itself, one test at the paper's K = 50 accepting the
# trained and rejecting the random spectrum (a trained verdict that a random network also passes is
# no evidence for the paper's contrast). The paper has no random Avila row; at its K = 50 the test
# may not tell the two apart, so the random network's claim and the contrast are re-read at smaller
# K of the same spectra (the test's power is set by K; Avila runs at the paper's own setting here,
# so there is no other scale to climb). A failing claim on the trained network climbs its training
# epochs.

# %% tags=["hide-input"]
if runs:
    avila_claims(page.claims, runs, p, device=page.device)
else:
    page.claims.not_run_rest("data missing")
page.finish()

# %% [markdown]
# ## Notes
#
# * **Architecture.** "2Layer-FCN" read as two weight layers, 10 → 100 → 12 with ReLU (our reading,
#   as for the MNIST FCNs): 2,312 parameters (10·100 + 100 + 100·12 + 12).
# * **Recipe and preprocessing** are not given in the paper; we use the MNIST recipe (50 epochs) and
#   z-score each attribute with training statistics (the UCI file is already roughly normalised).
# * **d_c.** Tables 8 and 9 print 0.176 for K = 50, Table 5 gives 1.36/√50 = 0.192; both are checked.
# * **ŝ far from 1.** The paper's own $\hat s$ = 1.656 is far from the ≈ 1 of the image networks;
#   the paper claims only the KS verdict for Avila, and so do we.
