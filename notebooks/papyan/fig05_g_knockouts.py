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
from dlspectra.data import available
from dlspectra.papers.papyan.figures import density_panel
from dlspectra.papers.papyan.pipeline import gap_count, network
from dlspectra.papers.papyan.references import ref
from dlspectra.papers.papyan.spectra import EPSILON, g_knockout_spectra

page = start("papyan/fig05", scale, device, title="Knockouts in the log-spectrum of G")
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
have = available(ds)
if have:
    net = network(p, ds, page.device)
    s = g_knockout_spectra(p, net)
    print(net.describe())
    print("Lanczos converged: " + ", ".join(f"{k}: {bool(s['conv_' + k])}" for k in ("G", "class", "cross", "same")))
else:
    print(f"{ds} is not available on this machine: the claims are recorded as not run.")

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
    G = s["top_G"]
    n_out = gap_count(G, 2 * C)
    thr = np.sqrt(G[C - 1] * G[C])  # between λ_C and λ_{C+1} of G (geometric mean)
    above = {k: int(np.sum(s[f"top_{k}"] > thr)) for k in ("G", "class", "cross", "same")}
    cross = s["exact_cross"][:C * (C - 2)]
    # the main bulk: the mode of log(G)'s density above log(10 ε) (below it lies the null space of G,
    # rank ≤ n(C−1) ≪ P, a spike at log ε that is not a bulk of non-zero eigenvalues)
    nz = s["u_G"] > np.log(10 * EPSILON)
    main_edge = float(np.exp(s["u_G"][nz][np.argmax(s["dens_G"][nz])]))
    rows = [["outliers of G by the largest log-gap in the top 20", "C = 10", n_out],
            ["eigenvalues above √(λ_C λ_C+1) of G: G / ⊖class / ⊖cross / ⊖(c=c')", "—",
             " / ".join(str(above[k]) for k in ("G", "class", "cross", "same"))],
            ["top eigenvalue of G_class / G_cross / G_(c=c')", "—",
             f"{s['exact_class'][0]:.3g} / {s['exact_cross'][0]:.3g} / {s['exact_same'][0]:.3g}"],
            ["median G_cross eigenvalue / mode of the log-spectrum of G above log(10ε)", "'left' bulk (text)",
             f"{np.median(cross):.3g} / {main_edge:.3g}"],
            ["relative change of the top 40 after ⊖ G_(c=c') (max)", "no visible effect",
             f"{np.max(np.abs(s['top_same'] / G - 1)):.2e}"]]
    display(Markdown(markdown_table(["quantity", "paper", "this run"], rows)))

# %% [markdown]
# ## Verdict
#
# Rules, fixed before looking at the numbers: the outlier count is the position of the largest
# log-gap among the top 2C eigenvalues; a knockout "removes the C outliers" if at most one
# eigenvalue stays above $\sqrt{\lambda_C \lambda_{C+1}}$ of $G$; the side of the mini-bulk is
# read from where the exact $G_\text{cross}$ eigenvalues lie relative to the mode of $\log G$'s
# density above $\log(10\epsilon)$ (below lies the null space of $G$, not a bulk); "no visible effect" = top 40 eigenvalues change by less than 5 %.

# %% tags=["hide-input"]
claims = page.claims
ids = [("c-outliers", "G has C = 10 outliers"), ("class-removes", "G ⊖ G_class removes the C outliers"),
       ("cross-keeps", "G ⊖ G_cross keeps the C outliers (the mini-bulk is what it removes)"),
       ("cross-side", "the G_cross group lies to the left of the main bulk of log(G) (text of Sec. 6.2)"),
       ("within-lowrank", "G ⊖ G_within keeps only the rank ≤ C² between-class part (main bulk removed)"),
       ("same-no-effect", "G ⊖ G_(c=c') has no visible effect")]
if have:
    claims.check(ids[0][0], ids[0][1], rule="largest log-gap among the top 2C at position C", holds=n_out == C,
                 paper={"outliers": C}, measured={"outliers": n_out, "converged": bool(s["conv_G"])})
    claims.check(ids[1][0], ids[1][1], rule="≤ 1 eigenvalue of G ⊖ G_class above √(λ_C λ_C+1) of G",
                 holds=above["class"] <= 1, measured={"above": above["class"], "G": above["G"]})
    claims.check(ids[2][0], ids[2][1], rule="≥ C − 1 eigenvalues of G ⊖ G_cross above √(λ_C λ_C+1) of G",
                 holds=above["cross"] >= C - 1, measured={"above": above["cross"]})
    claims.check(ids[3][0], ids[3][1], rule="median exact G_cross eigenvalue < mode of the log-density of G",
                 holds=bool(np.median(cross) < main_edge), measured={"median_cross": float(np.median(cross)), "mode_G": main_edge},
                 note="catalog ambiguity 9: Fig. 1 and Theorem 8.1 put this group to the right of the bulk")
    rk = int(np.sum(s["exact_between"] > 1e-10 * s["exact_between"][0]))
    claims.check(ids[4][0], ids[4][1], rule="numerical rank of G ⊖ G_within ≤ C²", holds=rk <= C * C,
                 measured={"rank": rk})
    ch = float(np.max(np.abs(s["top_same"] / G - 1)))
    claims.check(ids[5][0], ids[5][1], rule="top 40 change < 5 %", holds=ch < 0.05, measured={"max_rel_change": ch})
else:
    for cid, text in ids:
        claims.not_run(cid, text, reason="data missing")
page.finish()
