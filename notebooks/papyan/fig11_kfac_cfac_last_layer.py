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
# # Papyan, Figure 11 — G^8 against KFAC and CFAC (MLP on MNIST, last hidden layer)
#
# ## What the paper shows
#
# Figure 11: for the 8th layer of the MLP trained on MNIST, the spectrum of $G^l$ with the
# outliers and mini-bulk of $G^l_\text{CFAC}$ aligned with it, while $G^l_\text{KFAC}$'s are
# misaligned (Sec. 7.11). This page is the MNIST / last-hidden-layer panel of Figure 12 (same cache).
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra.book.page import start
from dlspectra.data import available
from dlspectra.papers.papyan.claims import CLAIMS
from dlspectra.papers.papyan.ladders import decide
from dlspectra.papers.papyan.layer_pages import C, cfac_better, cfac_outliers, kfac_converged, kfac_epochs_ladder
from dlspectra.papers.papyan.layers import kfac_spectra, log_error
from dlspectra.papers.papyan.pipeline import gap_count, network

page = start("papyan/fig11", scale, device, title="G^l vs KFAC vs CFAC, last hidden layer")
page.declare(CLAIMS)
p = page.preset
K = C * C
page.setup([
    ["network / layer", "8 × 2048 MLP, layer 8", f"{p['depth']} × {p['width']} MLP, layer {p['depth']} (last hidden)"],
    ["data", "MNIST", f"MNIST, {p['n_per_class']} per class; spectra on {p['gram_n']} per class"],
    ["spectra", "Lanczos", "G^l exact (Gram), KFAC exact, CFAC Lanczos"],
])

# %% [markdown]
# ## Computation and figure
#
# Log-spectra (histograms of log eigenvalues, log-density y-axis) of the top 120 eigenvalues of
# each matrix, and the same eigenvalues by rank.

# %% tags=["hide-input"]
have = available("mnist")
if have:
    s = kfac_spectra(p, network(p, "mnist", page.device))
    l = p["depth"]
    G, KF, CF = s[f"G_{l}"], s[f"KFAC_{l}"], s[f"CFAC_{l}"]
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(10, 3.6))
    bins = np.linspace(np.log(min(G.min(), KF.min(), CF.min())), np.log(max(G.max(), KF.max(), CF.max())), 40)
    for v, col, lab in ((G, "k", "G^l"), (KF, "C3", "KFAC"), (CF, "C0", "CFAC")):
        a0.hist(np.log(v), bins=bins, histtype="step", color=col, label=lab, log=True)
        a1.semilogy(np.arange(1, len(v) + 1), v, ".", ms=3, color=col, label=lab)
    a0.set_xlabel("log λ (top 120)"); a0.legend(fontsize=7); a1.set_xlabel("rank"); a1.legend(fontsize=7)
    fig.tight_layout()
    e_k, e_c = log_error(G, KF, K), log_error(G, CF, K)
    counts = {k: gap_count(v, 2 * C) for k, v in (("G", G), ("KFAC", KF), ("CFAC", CF))}
    top_rel = {"KFAC": float(np.max(np.abs(np.log(KF[:C] / G[:C])))), "CFAC": float(np.max(np.abs(np.log(CF[:C] / G[:C]))))}
    print(f"mean |Δ log λ| over the top {K}: KFAC {e_k:.3f}, CFAC {e_c:.3f}; "
          f"max |Δ log λ| over the top C: KFAC {top_rel['KFAC']:.3f}, CFAC {top_rel['CFAC']:.3f}")
    print("outliers by the largest log-gap among the top 2C: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
else:
    print("MNIST is not available: the claims are recorded as not run.")

# %% [markdown]
# ## Verdict
#
# Rules (quoting Sec. 7.11 and the Fig. 11 caption): CFAC's mean log error over the top C² below
# KFAC's; CFAC's top-C outliers within a factor 1.5 of $G^l$'s (max $|\Delta\log\lambda| < \log 1.5$).
# A claim that fails climbs the training epochs.

# %% tags=["hide-input"]
claims = page.claims
if have:
    conv = kfac_converged(s, [l])
    decide(claims, "cfac-better", cfac_better(s, p), converged=conv, measured={"ratio": e_c / e_k, "kfac": e_k, "cfac": e_c},
           ladder=lambda: kfac_epochs_ladder(claims, "cfac-better", p, cfac_better, "mnist", page.device))
    decide(claims, "cfac-outliers", cfac_outliers(s, p), converged=conv, measured=top_rel,
           ladder=lambda: kfac_epochs_ladder(claims, "cfac-outliers", p, cfac_outliers, "mnist", page.device))
else:
    claims.not_run_rest("data missing")
page.finish()
