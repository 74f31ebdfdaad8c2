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
from dlspectra.papers.papyan.claims import CLAIMS
from dlspectra.papers.papyan.dynamics import grid, grid_statistics, panel_metrics, truncated
from dlspectra.papers.papyan.figures import density_panel
from dlspectra.papers.papyan.ladders import decide, ladder_from_values
from dlspectra.papers.papyan.pipeline import missing_data

page = start("papyan/fig06", scale, device, title="Dynamics of the structure of G")
page.declare(CLAIMS)
p = page.preset
C = 10
ds = p.get("dataset", "mnist")
page.setup([
    ["network / data", "not stated (VGG11, CIFAR10 assumed)", f"{p['model']}, {ds}"],
    ["N per class", "several (not stated)", ", ".join(map(str, p["sizes"]))],
    ["epochs", "several (not stated)", ", ".join(map(str, p["epoch_grid"])) + " (separate runs of that length, lr /10 at 1/3 and 2/3)"],
    ["log-spectrum", "log(G + 1e-5 I), deflated", f"log(G + 1e-5 I), M = {p['log_steps']}, not deflated (cost)"],
    ["red", "(1/N) Tr G_within,c", "(1/N_c) Tr G_within,c with G_within,c = Σ_c' (w_cc'/Σ w_c·) G_within,c,c' (our reading: the paper's 1/N per class)"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
missing = missing_data(p, ds)
have = not missing
panels = {}
if have:
    panels = grid(p, ds, page.device)
    print("training accuracy per panel: " + ", ".join(f"{ep} ep / N={n}: {float(q['train_acc']):.3f}"
                                                      for (ep, n), q in panels.items()))
else:
    print(f"{missing}: the claims are recorded as not run.")

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
if panels:
    met = {k: panel_metrics(q) for k, q in panels.items()}
    rows = [[ep, n, f"{m['align']:.2f}", f"{m['gr']:.2f}", f"{abs(m['gr']):.2f}", f"{m['yr']:.2f}", f"{m['depth']:.2f}",
             f"{m['teal']:.1e}"] for (ep, n), m in met.items()]
    display(Markdown(markdown_table(["epochs", "N", "max |log orange/yellow|", "log gap green − red (medians)",
                                     "its size", "log gap yellow − red", "red inside the main bulk (depth)",
                                     "max |teal|"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules, from the sentences of Sec. 6.2 (quoted in the claim table): orange within a factor 2 of
# yellow in every panel; the median red value inside the main bulk (the 10–90 % interval of the
# log-density above log(10ε)) in every panel; **separate**: at every N the *size* of the green − red
# log gap grows from the first to the last epoch count; **merge**: at every epoch count it shrinks
# from the smallest to the largest N (the old rules compared the signed gap, so a gap of −3.97 →
# −3.94 counted as separating); the yellow − red distance varies less over the grid than the
# green − red one ("does not change significantly"). Ladders climb the grid itself: for the change
# claims each rung is the same statistic on the grid cut at that epoch count (or sample size); for
# the alignment claims (orange-yellow, red-bulk) each rung is that epoch count's row alone. The
# paper's own grid is not stated; its training is 350 epochs (App. D.1), its largest sample 5000
# per class. Each panel is its own run of that many epochs (the paper's rows are epochs of one run).
#
# Why teal is invisible: for every sample $\sum_{c'} p_{i,c'}\,(p_i - e_{c'}) = 0$, hence
# $\sum_{c'} w_{c,c'}\, g_{c,c'} = 0$ for every class and the rank-C² matrix has rank at most
# C(C−1): its last C eigenvalues are zero up to rounding, whatever the training state.

# %% tags=["hide-input"]
claims = page.claims
if panels:
    E, S = list(p["epoch_grid"]), list(p["sizes"])
    tmax = max(m["teal"] for m in met.values())
    claims.identity("teal", "the last C eigenvalues of G_class + G_cross + G_(c=c') vanish (teal; the paper: < 1e-4)",
                    holds=tmax < 1e-10 * max(float(q["yellow"][0]) for q in panels.values()), measured={"max": tmax},
                    why="Σ_c' p_c' (p − e_c') = 0 for every sample, so Σ_c' w_cc' g_cc' = 0: rank ≤ C(C−1)")
    stats = grid_statistics(met, E, S)
    conv = all(m["conv"] for m in met.values())
    paper = {"training-set size": 5000, "epochs": 350}
    for cid in ("orange-yellow", "red-bulk", "separate", "merge", "class-within-steady"):
        axis = claims.spec(cid).ladder
        rungs, values = truncated(met, E, S, cid)
        decide(claims, cid, stats[cid], converged=conv if cid == "orange-yellow" else None,
               ladder=lambda cid=cid, axis=axis, rungs=rungs, values=values: ladder_from_values(
                   claims, cid, rungs, values, paper_setting=paper[axis],
                   paper_note="not run: scale (the paper's grid is not stated; its training is 350 epochs, its "
                              "largest sample 5000 per class; each panel is a trained network and its G spectra)"))
else:
    claims.not_run_rest("data missing")
page.finish()
