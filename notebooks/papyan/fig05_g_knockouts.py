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
# # Papyan, Figure 5 — knockouts of G_class, G_cross, G_within and G_{c=c'} in the log-spectrum of G
#
# ## What the paper shows
#
# Figure 5 (VGG11, CIFAR10 with 136 examples per class, train G): the log-spectrum of $G$ and of
# $G$ with each piece of Eq. 6.4 subtracted. Claims (Sec. 6.2): the C outliers disappear when
# $G_\text{class}$ is knocked out; the mini-bulk disappears when $G_\text{cross}$ is knocked out
# (the text calls it the *left* bulk); knocking out $G_\text{within}$ removes the main bulk;
# $G_{c=c'}$ has no visible effect.
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
from IPython.display import display
import numpy as np

from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.papyan.claims import CLAIMS
from dlspectra.papers.papyan.figures import density_panel
from dlspectra.papers.papyan.gnet import fig05_stats, width_ladder
from dlspectra.papers.papyan.ladders import decide
from dlspectra.papers.papyan.pipeline import missing_data, network
from dlspectra.papers.papyan.references import ref
from dlspectra.papers.papyan.spectra import EPSILON

page = start("papyan/fig05", scale, device, title="Knockouts in the log-spectrum of G")
page.declare(CLAIMS)
p = page.preset
C = 10
ds = p.get("dataset", "mnist")
page.setup([
    ["network", "VGG11 (28 M parameters), BatchNorm instead of dropout",
     f"{p['model']} with BatchNorm, {p.get('depth', '—')} × {p.get('width', '—')}" if p["model"] == "mlp" else p["model"]],
    ["data", f"CIFAR10, {ref('fig05_n_per_class').value} per class (train)", f"{ds}, {p['n_per_class']} per class (train)"],
    ["training", "SGD 0.9, wd 5e-4, B 128, 350 epochs, best of 100 learning rates",
     f"SGD 0.9, wd 5e-4, B 128, {p['epochs']} epochs, lr {p['lr']} (fixed), /10 at 1/3 and 2/3"],
    ["log-spectrum", "LanczosApproxSpec, log variant, M = 2048", f"M = {p['log_steps']}, push-forward, ε = {EPSILON:g}"],
    ["top eigenvalues", "—", f"Lanczos (full reorth.), top 40, ≤ {p['top_k_steps']} steps"],
    ["G ⊖ G_within", "log-spectrum", "exact: the rank-C² 'between' matrix through its C²×C² Gram matrix"],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
missing = missing_data(p, ds)
have = not missing
if have:
    net = network(p, ds, page.device)
    st = fig05_stats(p, net)
    s = st["spectra"]
    print(net.describe())
    print("Lanczos converged: " + ", ".join(f"{k}: {bool(s['conv_' + k])}" for k in ("G", "class", "cross", "same")))
else:
    print(f"{missing}: the claims are recorded as not run.")

# %% [markdown]
# ## Figure
#
# Rows as in the paper: $G$, $G \ominus G_\text{class}$, $G \ominus G_\text{cross}$,
# $G \ominus G_\text{within}$, $G \ominus G_{c=c'}$; x = $\log(\lambda + \epsilon)$, y = density (log).
# Ticks at the bottom: the exact eigenvalues of $G_\text{class}$ (blue) and $G_\text{cross}$ (green)
# from their Gram matrices, and the top 40 eigenvalues of each matrix (black).

# %% tags=["hide-input"]
if have:
    fig, axes = plt.subplots(5, 1, figsize=(7, 10), sharex=True)
    marks = {"G_class (exact)": (s["exact_class"][:C], "C0"), "G_cross (exact)": (s["exact_cross"][:C * (C - 2)], "C2")}
    titles = {"G": "G", "class": "G ⊖ G_class", "cross": "G ⊖ G_cross", "same": "G ⊖ G_(c=c')"}
    order = ["G", "class", "cross", "within", "same"]
    for ax, name in zip(axes, order):
        if name == "within":
            ev = s["exact_between"]
            ev = ev[ev > 1e-12 * ev[0]]
            ax.hist(np.log(ev + EPSILON), bins=60, density=True, log=True, color="C7")
            ax.set_title(f"G ⊖ G_within = rank-C² matrix (exact, {len(ev)} non-zero eigenvalues)", fontsize=9)
            continue
        density_panel(ax, s[f"u_{name}"], s[f"dens_{name}"], markers={**marks, "top 40": (s[f"top_{name}"], "k")}, log_x=True)
        ax.set_title(titles[name], fontsize=9)
    axes[0].legend(fontsize=7, loc="upper left")
    axes[-1].set_xlabel("log(λ + ε)")
    fig.tight_layout()

# %% [markdown]
# ## Numbers

# %% tags=["hide-input"]
if have:
    sh = st["shown"]
    above = sh["above"]
    rows = [["outliers of G by the largest log-gap in the top 20", "C = 10", st["c-outliers"][0]],
            ["eigenvalues above √(λ_C λ_C+1) of G: G / ⊖class / ⊖cross / ⊖(c=c')", "—",
             " / ".join(str(above[k]) for k in ("G", "class", "cross", "same"))],
            ["top eigenvalue of G_class / G_cross / G_(c=c')", "—",
             f"{s['exact_class'][0]:.3g} / {s['exact_cross'][0]:.3g} / {s['exact_same'][0]:.3g}"],
            ["log-density mass in the window of the exact G_cross eigenvalues: G / G ⊖ G_cross", "the mini-bulk disappears",
             f"{sh['window_mass_G']:.3g} / {sh['window_mass_ko']:.3g}"],
            ["median G_cross eigenvalue / mode of the log-spectrum of G above log(10ε)", "'left' bulk (text)",
             f"{sh['median_cross']:.3g} / {sh['mode_G']:.3g}"],
            ["relative change of the top 40 after ⊖ G_(c=c') (max)", "no visible effect", f"{st['same-no-effect'][0]:.2e}"],
            ["numerical rank of G ⊖ G_within (= G_class + G_cross + G_(c=c'))", "≤ C² = 100", sh["rank_between"]]]
    display(Markdown(markdown_table(["quantity", "paper", "this run"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules, from the sentences of Sec. 6.1 (quoted in the claim table): the outlier count is the
# position of the largest log-gap among the top 2C eigenvalues; a knockout "removes the C outliers"
# if at most one eigenvalue stays above $\sqrt{\lambda_C \lambda_{C+1}}$ of $G$; **"the left
# mini-bulk disappears"** once $G_\text{cross}$ is knocked out: the log-spectrum of
# $G \ominus G_\text{cross}$ keeps less than half the mass that of $G$ has between the smallest and
# the largest exact $G_\text{cross}$ eigenvalue (the old rule asked only that the C outliers stay);
# the side of the mini-bulk is read from where the exact $G_\text{cross}$ eigenvalues lie relative
# to the mode of $\log G$'s density above $\log(10\epsilon)$ (below lies the null space of $G$, not
# a bulk); "no visible effect" = the top 40 eigenvalues change by less than 5 %. That
# $G \ominus G_\text{within}$ has rank ≤ C² (so its main bulk is gone) holds by construction: an
# identity check, not a claim. A claim that fails climbs the network's width.

# %% tags=["hide-input"]
claims = page.claims
if have:
    claims.identity("within-lowrank", "G ⊖ G_within = G_class + G_cross + G_(c=c') has rank ≤ C² (C² mean vectors)",
                    holds=sh["rank_between"] <= C * C, measured={"rank": sh["rank_between"]},
                    why="it is built from the C² cross-class means: the main bulk cannot survive the knockout")
    notes = {"cross-side": "our reading: Fig. 1 and Theorem 8.1 put this group to the right of the bulk"}
    shown = {"c-outliers": {"outliers": st["c-outliers"][0]},
             "class-removes": {"above": above["class"], "G": above["G"]},
             "cross-removes": {"ratio": st["cross-removes"][0], "mass_G": sh["window_mass_G"], "mass_ko": sh["window_mass_ko"]},
             "cross-side": {"ratio": st["cross-side"][0], "median_cross": sh["median_cross"], "mode_G": sh["mode_G"]},
             "same-no-effect": {"max_rel_change": st["same-no-effect"][0]}}
    for cid in ("c-outliers", "class-removes", "cross-removes", "cross-side", "same-no-effect"):
        value, conv = st[cid]
        decide(claims, cid, value, converged=conv, measured=shown[cid], note=notes.get(cid, ""),
               ladder=lambda cid=cid: width_ladder(claims, cid, p, fig05_stats, ds, page.device))
else:
    claims.not_run_rest("data missing")
page.finish()
