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
# # The library on a model of your own
#
# Every page of this book calls the package `dlspectra`; this one shows it on a network that is
# not in its model zoo, as a researcher would use it on theirs: a small CNN defined here, trained
# briefly on MNIST, then the top of its Hessian and Gauss-Newton spectra, Papyan's density, a
# trace, Xie's power-law fit, Papyan's class / cross-class decomposition of G, per-layer traces,
# and the spacing-ratio statistic $\langle\tilde r\rangle$ of Baskerville et al. on exact batch
# Hessians of a smaller net. The same lines are in the README ("Use the library on your own
# model"); every function is in the [API reference](../../book/api.md).
#
# The rules: the model is in **eval mode**; every matrix is the curvature of the **mean loss**
# over the data passed (a `DataLoader`, a list of `(X, y)` batches or one `(X, y)` pair, checked
# before any product); eigenvalues come **descending**; products run on the **model's device**.
# Each result is checked here against an independent dense computation (identity checks, not
# claims of a paper).
#
# ## Setup

# %% tags=["parameters"]
scale = "ci"
device = "auto"

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlspectra import rmt
from dlspectra.book.page import Markdown, start
from dlspectra.book.results import markdown_table
from dlspectra.curvature import GDecomposition, GGNOperator, HessianOperator, batch_hessian_spectra
from dlspectra.data import available, load
from dlspectra.fits import power_law_fit
from dlspectra.spectra import layer_traces
from dlspectra.spectral import hutchpp_trace, lanczos_density, lanczos_top_k
from dlspectra.train import FitConfig, train_module

page = start("library/quickstart", scale, device, title="The library on a model of your own")
p = page.preset
page.setup([
    ["model", "yours", "CNN conv5(1→4)-ReLU-pool2-FC(576→10), 5,874 parameters, defined on this page"],
    ["data", "yours", f"MNIST, {p['n']:,} class-balanced training images in batches of {p['batch_size']}"],
    ["training", "yours", f"train_module: SGD lr {p['lr']}, {p['epochs']} epochs (cached by the model's and the data's content)"],
    ["spectra", "—", f"top {p['k']} of H and G (Lanczos, tol 1e-6); density: {p['density_steps']} Lanczos steps"],
    ["trace", "—", f"Hutch++ with {p['trace_products']} products"],
    ["exact batch Hessians", "—", f"{p['exact_batches']} batches of 64 images, MLP 784-2-10 (1,600 parameters), float64"],
], head=("", "", "this page"))

# %% [markdown]
# ## The model, the data and its training
#
# The model is an ordinary `nn.Module`; `train_module` trains any module on its data and caches the
# result by content (the architecture, the initial weights, the data and the settings), so the
# book's next build loads it.

# %%
missing = not available("mnist")
if not missing:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(576, 10))
    ds = load("mnist", n=p["n"], seed=0)
    data = DataLoader(TensorDataset(ds.X, ds.y), batch_size=p["batch_size"])  # or [(X, y), ...], or (X, y)
    loss = nn.CrossEntropyLoss()
    trained = train_module(model, data, loss, FitConfig(lr=p["lr"], epochs=p["epochs"], batch_size=128),
                           device=page.device)
    model.eval()
    print(f"final training loss {trained.history[-1]['train_loss']:.3f}, accuracy {trained.history[-1]['train_accuracy']:.3f}")
else:
    print("MNIST is not available on this machine: the page records its checks as not run")

# %% [markdown]
# ## Computation
#
# The operators take the model, the loss and the data; the solvers take any operator.

# %%
if not missing:
    H = HessianOperator(model, loss, data)
    G = GGNOperator(model, loss, data)
    top_H = lanczos_top_k(H, p["k"])
    top_G = lanczos_top_k(G, p["k"])
    grid, density = lanczos_density(H, num_steps=p["density_steps"])
    trace, trace_err = hutchpp_trace(H, p["trace_products"], return_std=True)
    fit = power_law_fit(top_H.eigenvalues)
    dec = GDecomposition(model, data)
    per_layer = layer_traces(model, loss, data, num_matvecs=p["trace_products"])
    small = nn.Sequential(nn.Flatten(), nn.Linear(784, 2), nn.Tanh(), nn.Linear(2, 10)).eval()
    X, y = ds.X, ds.y
    E = batch_hessian_spectra(small, loss, [(X[64 * i:64 * (i + 1)], y[64 * i:64 * (i + 1)])
                                            for i in range(p["exact_batches"])])
    r_tilde = rmt.r_tilde_bootstrap(list(E), cutoff=1e-10)
    print(f"H: top-{p['k']} in {top_H.num_matvecs} products (converged {top_H.converged}); "
          f"G: {top_G.num_matvecs} products (converged {top_G.converged})")

# %% [markdown]
# ## Figure
#
# (a) The top eigenvalues of H and G against their rank (log-log, Xie's rank plot); (b) Papyan's
# Lanczos density of H; (c) the trace of H per layer (Hutch++, exact for the small bias blocks).

# %% tags=["hide-input"]
if not missing:
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    ranks = np.arange(1, p["k"] + 1)
    axes[0].loglog(ranks, top_H.eigenvalues, "o-", ms=3, label="Hessian H")
    axes[0].loglog(ranks, top_G.eigenvalues, "s--", ms=3, label="Gauss-Newton G")
    axes[0].set_xlabel("rank k")
    axes[0].set_ylabel("λ_k")
    axes[0].legend(fontsize=8)
    axes[0].set_title("(a) top eigenvalues")
    axes[1].semilogy(grid, np.maximum(density, 1e-8))
    axes[1].set_xlabel("λ")
    axes[1].set_ylabel("density")
    axes[1].set_title("(b) spectral density of H")
    labels = list(per_layer)
    axes[2].bar(range(len(labels)), [per_layer[k][0] for k in labels],
                yerr=[2 * per_layer[k][1] for k in labels], color="C2")
    axes[2].set_xticks(range(len(labels)), [f"layer {k}" for k in labels])
    axes[2].set_ylabel("Tr H_ll")
    axes[2].set_title("(c) trace per layer")
    fig.tight_layout()

# %% [markdown]
# ## Numbers

# %% tags=["hide-input"]
if not missing:
    rows = [["λ_1(H), λ_1(G)", f"{top_H.eigenvalues[0]:.4f}", f"{top_G.eigenvalues[0]:.4f}"],
            [f"λ_{p['k']}(H), λ_{p['k']}(G)", f"{top_H.eigenvalues[-1]:.4f}", f"{top_G.eigenvalues[-1]:.4f}"],
            ["Tr H (Hutch++ ± se)", f"{trace:.3f} ± {trace_err:.3f}", "—"],
            ["power-law fit of the top k of H: β̂, ŝ, d_ks / d_c", f"{fit.beta:.2f}, {fit.s_mle:.2f}",
             f"{fit.d_ks:.3f} / {fit.d_c:.3f}"],
            ["G_class eigenvalues (C = 10)", ", ".join(f"{v:.3g}" for v in dec.eigenvalues("class")[:4]) + ", …", ""],
            ["⟨r̃⟩ of the exact batch Hessians [95 % interval]",
             f"{r_tilde.mean:.3f} [{r_tilde.lo:.3f}, {r_tilde.hi:.3f}]", f"GOE {rmt.GOE_MEAN_R_TILDE}, Poisson {rmt.POISSON_MEAN_R_TILDE:.4f}"]]
    Markdown(markdown_table(["quantity", "value", ""], rows))

# %% [markdown]
# ## Checks against dense references
#
# On a float64 copy of the trained model, over the first batch: the Hessian block of the
# convolution (104 parameters) as a dense matrix (its columns are Hessian-vector products) gives
# the reference eigenvalues and trace for Lanczos, Hutch++ and the per-layer trace; the density
# integrates to one; the four pieces of Papyan's decomposition add up to G.

# %% tags=["hide-input"]
claims = page.claims
if not missing:
    m64 = nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(576, 10)).double()
    m64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    m64.eval()
    X0, y0 = ds.X[:p["batch_size"]].double(), ds.y[:p["batch_size"]]
    block = ["0.weight", "0.bias"]
    Hc = HessianOperator(m64, loss, (X0, y0), params=block)
    dense = Hc.to_dense().double()
    exact = np.sort(torch.linalg.eigvalsh(dense).numpy())[::-1]
    lan = lanczos_top_k(Hc, 5, tol=1e-10)
    err_lan = float(np.max(np.abs(lan.eigenvalues - exact[:5]) / np.abs(exact[0])))
    claims.identity("lanczos-dense", "Lanczos top 5 of a Hessian block = eigvalsh of the dense block (rel. error < 1e-8)",
                    holds=err_lan < 1e-8, measured=err_lan, why="the Ritz values of a converged Lanczos run")
    tr_exact = float(torch.trace(dense))
    tr_pp, se_pp = hutchpp_trace(Hc, p["trace_products"], return_std=True)
    claims.identity("hutchpp-exact", "Hutch++ trace of the block within 4 standard errors of the exact trace",
                    holds=abs(tr_pp - tr_exact) <= 4 * se_pp + 1e-9 * abs(tr_exact), measured=abs(tr_pp - tr_exact) / abs(tr_exact),
                    why="an unbiased estimator and its standard error")
    mass = float(np.trapezoid(density, grid))
    claims.identity("density-mass", "the Lanczos density integrates to 1 (within 1 %)", holds=abs(mass - 1) < 0.01,
                    measured=mass, why="quadrature weights sum to one")
    v = torch.randn(dec.G.dim, generator=torch.Generator().manual_seed(0))
    parts = dec.class_.matvec(v) + dec.cross.matvec(v) + dec.same.matvec(v) + dec.within.matvec(v)
    rel = float((parts - dec.G.matvec(v)).norm() / dec.G.matvec(v).norm())
    claims.identity("decomposition", "G_class + G_cross + G_(c=c') + G_within = G (one random probe, rel. error < 1e-4)",
                    holds=rel < 1e-4, measured=rel, why="Papyan's eq. 11, an algebraic identity (float32 products)")
page.finish()
