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
# # Papyan, Theorem 8.1 — closed-form spectrum of the FIM of multinomial logistic regression
#
# ## What the paper states
#
# Sec. 8: for $f(x) = Wx$ on the canonical classification model CCM(D, C) (class means $t e_c$,
# Gaussian noise, $s = t^2$) with symmetric probabilities ($1-\alpha$ on the true class), the
# expected $G$ has four eigenvalue levels, with $a = \alpha/(C-1)$ and $k = 2 - \alpha C/(C-1)$:
# $a(s(1-\alpha)+k)$ ($C$ outliers), $a(s/C+k)$ ($C(C-2)$ mini-bulk), $ak$ ($(D-C)(C-1)$ bulk) and
# $0$ ($D$ times). No figure: we compare the formula with the numerical spectrum of Lemma 8.1's
# $E[G]$ and with a Monte-Carlo $G$ from sampled data.
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.curvature import (ccm_expected_fim, ccm_sample, class_moment_fim, symmetric_probabilities,
                                 theorem81_eigenvalues, theorem81_levels)

page = start("papyan/thm81", scale, device, title="Theorem 8.1")
p = page.preset
page.setup([
    ["(D, C, t, α)", "any, 1/C < 1 − α ≤ 1", "; ".join(f"({D}, {C}, {t:g}, {a:g})" for D, C, t, a in p["grid"])],
    ["E[G]", "Lemma 8.1", "built from Lemma 8.1, eigenvalues by numpy eigvalsh (float64)"],
    ["Monte Carlo", "—", f"N = {p['mc_N']:,} samples per class, probabilities fixed to the symmetric ones"],
    ["seed", "—", str(p["seed"])],
])

# %% [markdown]
# ## Computation

# %% tags=["hide-input"]
rows, results = [], []
for D, C, t, alpha in p["grid"]:
    num = np.sort(np.linalg.eigvalsh(ccm_expected_fim(D, C, t, alpha)))[::-1]
    form = theorem81_eigenvalues(D, C, t, alpha)
    X, y = ccm_sample(p["mc_N"], D, C, t, seed=p["seed"])
    mc = np.sort(np.linalg.eigvalsh(class_moment_fim(X, y, symmetric_probabilities(C, alpha))))[::-1]
    lv = theorem81_levels(C, t, alpha)
    err = float(np.max(np.abs(num - form)))
    mc_err = float(np.max(np.abs(mc[:C] / lv["outlier"] - 1)))
    results.append({"D": D, "C": C, "t": t, "alpha": alpha, "err": err, "mc_outlier_err": mc_err,
                    "num": num, "form": form, "mc": mc, "levels": lv})
    rows.append([f"({D}, {C}, {t:g}, {alpha:g})", f"{lv['outlier']:.4f} / {lv['minibulk']:.4f} / {lv['bulk']:.4f}",
                 f"{num[0]:.4f} / {num[C]:.4f} / {num[C * (C - 1)]:.4f}", f"{err:.1e}",
                 f"{mc[0]:.4f}–{mc[C - 1]:.4f} ({100 * mc_err:.1f} %)"])
Markdown(markdown_table(["(D, C, t, α)", "formula: outlier / mini-bulk / bulk", "eigvalsh E[G]", "max |Δ|",
                         "Monte Carlo top C (max rel. dev.)"], rows))

# %% [markdown]
# ## Figure
#
# The $DC$ eigenvalues of $E[G]$ (dots), the formula's levels (lines) and the Monte-Carlo spectrum,
# sorted, for the plotted configuration; the groups of $C$, $C(C-2)$ and $(D-C)(C-1)$ are marked.

# %% tags=["hide-input"]
D, C, t, alpha = p["plot"]
r = next(x for x in results if (x["D"], x["C"], x["t"], x["alpha"]) == (D, C, t, alpha))
fig, ax = plt.subplots(figsize=(6.5, 4))
idx = np.arange(1, D * C + 1)
ax.semilogy(idx, np.maximum(r["mc"], 1e-6), "-", color="C7", lw=1, label=f"Monte Carlo (N = {p['mc_N']:,}/class)")
ax.semilogy(idx, np.maximum(r["num"], 1e-6), ".", ms=3, color="C0", label="eigvalsh of E[G] (Lemma 8.1)")
for name, col in (("outlier", "C3"), ("minibulk", "C1"), ("bulk", "C2")):
    ax.axhline(r["levels"][name], color=col, ls="--", lw=1, label=f"Theorem 8.1: {name}")
for x in (C, C * (C - 1), D * (C - 1)):
    ax.axvline(x + 0.5, color="k", lw=0.5, alpha=0.4)
ax.set_xlabel("index"); ax.set_ylabel("eigenvalue (zeros drawn at 1e-6)")
ax.set_title(f"CCM(D={D}, C={C}), t = {t:g}, α = {alpha:g}"); ax.legend(fontsize=7)
fig.tight_layout()

# %% [markdown]
# ## Verdict

# %% tags=["hide-input"]
claims = page.claims
worst = max(x["err"] for x in results)
claims.check("formula", "Theorem 8.1's eigenvalues equal the spectrum of Lemma 8.1's E[G]", rule="max |Δλ| < 1e-10 over the grid",
             holds=worst < 1e-10, measured={"max_abs_error": worst})
mults_ok = all(
    (np.sum(np.isclose(x["num"], x["levels"]["outlier"], atol=1e-9)) >= x["C"]) and
    (np.sum(np.isclose(x["num"], 0.0, atol=1e-9)) == x["D"]) for x in results)
claims.check("multiplicities", "multiplicities C, C(C−2), (D−C)(C−1), D",
             rule="counts of eigvalsh values at the outlier level and at 0", holds=bool(mults_ok),
             measured={f"({x['D']},{x['C']})": int(np.sum(np.isclose(x["num"], 0.0, atol=1e-9))) for x in results})
mc_worst = max(x["mc_outlier_err"] for x in results)
claims.check("monte-carlo", "a sampled G approaches E[G]: top-C eigenvalues at the outlier level",
             rule="max relative deviation of the top C < 5 %", holds=mc_worst < 0.05, measured={"max_rel_dev": mc_worst})
ss = np.linspace(0.5, 30, 20)
ratio = [theorem81_levels(10, np.sqrt(s), 0.05)["outlier"] / theorem81_levels(10, np.sqrt(s), 0.05)["minibulk"] for s in ss]
claims.check("separation", "the outlier / mini-bulk ratio grows with the signal-to-noise s (α fixed)",
             rule="ratio increasing on s ∈ [0.5, 30], C = 10, α = 0.05", holds=bool(np.all(np.diff(ratio) > 0)),
             measured={"ratio_at_0.5": ratio[0], "ratio_at_30": ratio[-1]})
page.finish()
