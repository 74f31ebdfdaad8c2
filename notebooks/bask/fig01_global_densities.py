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
# # Baskerville et al., Figure 1 — global spectral densities: GOE vs network Hessians (MNIST)
#
# ## What the paper shows
#
# Figure 1 (Sec. 2) contrasts three spectral densities on a log y-axis: (a) a GOE sample (the
# semicircle), (b) the Hessian of the cross-entropy of an MLP on MNIST, (c) the Hessian of logistic
# regression on MNIST (full training set, a few outliers clipped). The claim: "the average spectral
# density of the Hessian of neural networks does not in fact match that of the associated random
# matrix ensembles" — no semicircle in (b) and (c).

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from dlspectra import rmt
from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.papers.bask import pages
from dlspectra.papers.bask.claims import CLAIMS
from dlspectra.papers.bask.analysis import density_shape, goe_spectrum, plot_density
from dlspectra.papers.bask.setups import train
from dlspectra.papers.bask.spectra import full_logistic_spectrum

page = start("bask/fig01", scale, device, title="Global spectral densities")
page.declare(CLAIMS)
p = page.preset
sz = p["sizes"]
page.setup(pages.setup_rows(p, ["mlp2", "logistic"], [
    ["(a) GOE", "one sample, P = 7,850", f"one sample, P = {sz['goe_P']:,}"],
    ["(b) MLP Hessian", "bs64 test batches, pooled (inferred)", f"{sz['batches_costly']} test batches of 64, pooled"],
    ["(c) logistic Hessian", "full training set, largest 10 eigenvalues clipped",
     ("all" if sz["full_n"] is None else f"first {sz['full_n']:,}") + " training images, largest 10 clipped"]]))
missing = pages.missing_data(p, ["mlp2", "logistic"])

# %% [markdown]
# ## Computation

# %%
goe = goe_spectrum(sz["goe_P"], seed=0)
if not missing:
    mlp = pages.spectra(p, "mlp2", "test", page.device, costly=True)
    lg_model = train(p["logistic"], page.device)
    lg = np.sort(full_logistic_spectrum(lg_model, "train", sz["full_n"], device=page.device))
    P_mlp, P_lg = mlp.shape[1], lg.size
    shapes = {"(a) GOE": density_shape(goe), "(b) MLP": density_shape(mlp), "(c) logistic": density_shape(lg[:-10])}
else:
    print(f"data missing: {missing}; only panel (a) is drawn")

# %% [markdown]
# ## Figure
#
# Eigenvalues / (2√P), 30 bins, density, log y.

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
plot_density(axes[0], goe, goe.size, title="(a) GOE")
if not missing:
    plot_density(axes[1], mlp, P_mlp, title="(b) MLP Hessian, MNIST")
    plot_density(axes[2], lg[:-10], P_lg, title="(c) logistic Hessian, MNIST (top 10 clipped)")
fig.tight_layout()

# %% [markdown]
# ## Numbers

# %%
if not missing:
    keys = ("frac_near_zero", "skewness", "max_over_median_abs", "ks_semicircle")
    Markdown(markdown_table(["density", "fraction |λ| ≤ 1e-6 max", "skewness", "max λ / median |λ|",
                             "KS to moment-matched semicircle"],
                            [[k] + [f"{v[c]:.3g}" for c in keys] for k, v in shapes.items()]))

# %% [markdown]
# ## Verdict

# %% [markdown]
# Rules (the claim table quotes the paper): "neither multi-layer perceptron (MLP) nor Softmax
# Regression Hessians are described by the Wigner semicircle law" (Sec. 3) — the KS distance of the
# pooled density to the moment-matched semicircle exceeds five times that of one GOE sample of the
# same size (the factor is ours). Panel (a)'s semicircle and the positive semi-definite logistic
# Hessian hold by construction: identity checks, not claims. A claim that fails climbs the number
# of batch spectra (b) or the images in the Hessian (c).

# %% tags=["hide-input"]
from dlspectra.papers.bask.ladders import decide, values_ladder

claims = page.claims
ks_goe = density_shape(goe)["ks_semicircle"]
claims.identity("goe-semicircle", "(a) a GOE sample follows the semicircle (KS < 0.02)", holds=ks_goe < 0.02,
                measured={"ks": ks_goe, "P": int(goe.size)}, why="Wigner's semicircle law for the GOE")
if not missing:
    pages.decide_not_semicircle(claims, "mlp-not-semicircle", mlp, P_mlp)

    def read_lg(n):
        e = np.sort(full_logistic_spectrum(lg_model, "train", n, device=page.device))
        return pages.not_semicircle_value(e[:-10], e.size)

    v = pages.not_semicircle_value(lg[:-10], P_lg)
    full = sz["full_n"] or 60000
    decide(claims, "logistic-not-semicircle", v, measured=v,
           ladder=lambda: values_ladder(claims, "logistic-not-semicircle", [full // 4, full // 2, full], read_lg,
                                        paper_setting=60000, paper_note="all 60,000 training images: not run at ci"))
    claims.identity("logistic-psd", "(c) the logistic Hessian is positive semi-definite (min λ ≥ −1e-10 max λ)",
                    holds=bool(lg.min() >= -1e-10 * lg.max()), measured={"min": float(lg.min()), "max": float(lg.max())},
                    why="the softmax cross-entropy is convex in the weights of a linear model")
else:
    claims.not_run_rest("data missing", note=f"missing: {missing}")
page.finish()

# %% [markdown]
# ## Notes
#
# * **Panel (b)** is our inference (the caption says only "MLP on MNIST"): the 2-hidden-layer MLP (widths
#   10, 100) on test batches. At `ci` it runs on 7×7 MNIST (P = 2,610) with 6 batches; at `paper` on 28×28
#   (P = 9,960, the paper's "9860" is a typo).
# * **Panel (c)** is the closed-form Hessian of the summed cross-entropy over the training images
#   (14×14 at `ci`, P = 1,970).
