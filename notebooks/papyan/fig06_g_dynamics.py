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
# # Papyan, Figure 6 — dynamics of the class / cross-class structure of G with training and sample size
#
# ## What the paper shows
#
# Figure 6: a grid (columns: samples per class N; rows: epochs) of log-spectra of G with the top C
# eigenvalues of G (orange), the eigenvalues of $G_\text{class}+G_\text{cross}+G_{c=c'}$ split into
# the top C (yellow), the next C²−2C (green) and the last C (teal), and
# $\{\frac1N \text{Tr}\, G_{\text{within},c}\}_c$ (red). Claims (Sec. 6.3): orange aligns with yellow;
# the mini-bulk aligns with green, the main bulk with red; training longer separates green from
# red, more samples merge them.
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.data import available
from dlspectra.papers.papyan.figures import density_panel
from dlspectra.papers.papyan.pipeline import decompose, network, within_class_traces
from dlspectra.papers.papyan.spectra import top_eigs
from dlspectra.spectral import lanczos_log_density

page = start("papyan/fig06", scale, device, title="Dynamics of the structure of G")
p = page.preset
C = 10
ds = p.get("dataset", "mnist")
page.setup([
    ["network / data", "not stated (VGG11, CIFAR10 assumed)", f"{p['model']}, {ds}"],
    ["N per class", "several (not stated)", ", ".join(map(str, p["sizes"]))],
    ["epochs", "several (not stated)", ", ".join(map(str, p["epoch_grid"])) + " (separate runs of that length, lr /10 at 1/3 and 2/3)"],
    ["log-spectrum", "log(G + 1e-5 I), deflated", f"log(G + 1e-5 I), M = {p['log_steps']}, not deflated (cost)"],
    ["red", "(1/N) Tr G_within,c", "(1/N_c) Tr G_within,c with G_within,c = Σ_c' (w_cc'/Σ w_c·) G_within,c,c' (catalog ambiguity 10)"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
have = available(ds)
panels = {}
if have:
    for ep in p["epoch_grid"]:
        for n in p["sizes"]:
            net = network(p, ds, page.device, n_per_class=n, epochs=ep)
            dec = decompose(net)
            top = top_eigs(dec.G, C, p)
            u, d = lanczos_log_density(dec.G, num_steps=p["log_steps"], epsilon=1e-5, normalization_steps=p["normalization_steps"])
            b = dec.eigenvalues("between")
            panels[(ep, n)] = {"u": u, "d": d, "orange": top.eigenvalues, "yellow": b[:C], "green": b[C:C * C - C],
                               "teal": b[C * C - C:], "red": within_class_traces(net, dec), "conv": bool(top.converged)}
else:
    print(f"{ds} is not available: the claims are recorded as not run.")

# %% [markdown]
# ## Figure

# %% tags=["hide-input"]
if panels:
    E, S = p["epoch_grid"], p["sizes"]
    fig, axes = plt.subplots(len(E), len(S), figsize=(4 * len(S), 2.8 * len(E)), squeeze=False, sharex=True)
    for i, ep in enumerate(E):
        for j, n in enumerate(S):
            q = panels[(ep, n)]
            density_panel(axes[i, j], q["u"], q["d"], label="log-spectrum of G", log_x=True,
                          markers={"top C of G": (q["orange"], "C1"), "yellow": (q["yellow"], "gold"),
                                   "green": (q["green"], "C2"), "teal": (np.maximum(q["teal"], 1e-5), "teal"),
                                   "red": (q["red"], "C3")})
            axes[i, j].set_title(f"N = {n}, {ep} epochs", fontsize=9)
    axes[0, 0].legend(fontsize=6)
    fig.tight_layout()

# %% [markdown]
# ## Numbers

# %% tags=["hide-input"]
def lg(v):
    return float(np.median(np.log(np.maximum(v, 1e-300))))

if panels:
    rows, met = [], {}
    for (ep, n), q in panels.items():
        align = float(np.max(np.abs(np.log(q["orange"] / q["yellow"]))))
        gr = lg(q["green"]) - lg(q["red"])
        yr = lg(q["yellow"]) - lg(q["red"])
        met[(ep, n)] = (align, gr, yr)
        rows.append([ep, n, f"{align:.2f}", f"{gr:.2f}", f"{yr:.2f}", f"{q['teal'].max():.2e}"])
    display(Markdown(markdown_table(["epochs", "N", "max |log orange/yellow|", "log gap green − red (medians)",
                                     "log gap yellow − red", "max teal"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules (catalog `papyan-fig06` CI version): orange within a factor 2 of yellow in every panel;
# at the smallest N the green − red log gap grows from the first to the last epoch; at the last
# epoch it shrinks from the smallest to the largest N; teal < 1e-4.
#
# Why teal is invisible: for every sample $\sum_{c'} p_{i,c'}\,(p_i - e_{c'}) = 0$, hence
# $\sum_{c'} w_{c,c'}\, g_{c,c'} = 0$ for every class and the rank-C² matrix has rank at most
# C(C−1): its last C eigenvalues are zero up to rounding, whatever the training state.

# %% tags=["hide-input"]
claims = page.claims
ids = {"orange-yellow": "the top C of G align with the eigenvalues of G_class", "separate": "training longer separates G_cross from G_within",
       "merge": "more samples merge G_cross and G_within", "teal": "the G_(c=c') eigenvalues are negligible (< 1e-4)"}
if panels:
    E, S = p["epoch_grid"], p["sizes"]
    worst = max(v[0] for v in met.values())
    claims.check("orange-yellow", ids["orange-yellow"], rule="max |log(orange/yellow)| < log 2 in every panel",
                 holds=worst < np.log(2), measured={"max": worst})
    claims.check("separate", ids["separate"], rule=f"green − red log gap at N = {S[0]}: last epoch > first epoch",
                 holds=met[(E[-1], S[0])][1] > met[(E[0], S[0])][1], measured={f"{e} epochs": met[(e, S[0])][1] for e in E})
    claims.check("merge", ids["merge"], rule=f"green − red log gap at {E[-1]} epochs: largest N < smallest N",
                 holds=met[(E[-1], S[-1])][1] < met[(E[-1], S[0])][1], measured={f"N={n}": met[(E[-1], n)][1] for n in S})
    tmax = max(float(q["teal"].max()) for q in panels.values())
    claims.check("teal", ids["teal"], rule="max teal eigenvalue < 1e-4", holds=tmax < 1e-4, measured={"max": tmax})
else:
    for cid, t in ids.items():
        claims.not_run(cid, t, reason="data missing")
page.finish()
