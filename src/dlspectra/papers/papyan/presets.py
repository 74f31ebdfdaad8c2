"""Scale presets of the Papyan pages.

``ci`` (2 CPU cores, the Papyan pages cold in about 400 s; each setting moved toward the paper as
far as its CPU cost allows, never by a verdict):

* ``LAYER_NET`` (figs 2, 7-13, tab01): MLP with BatchNorm before each ReLU, 4 hidden layers of 128
  (>= C^2 = 100, so the C^2 error outliers can appear), 200 class-balanced images per class of
  MNIST, Fashion-MNIST and CIFAR10 (the offline 4,000-image subset), ``LAYER_EPOCHS`` epochs
  (paper 350), SGD-momentum lr 0.05 (fixed, instead of the paper's 25-value learning-rate sweep,
  App. D.1). KFAC/CFAC from layer 1 on ``gram_n`` images per class (CFAC in the span
  of the subset's features, same non-zero spectrum).
* ``G_NET`` (figs 3-6, 14, 16, 17, tab01): MLP with BatchNorm, 2 hidden layers of 64, on MNIST
  136 images per class (the paper's Fig. 5/17 size), 200 epochs (the paper's for MNIST) to zero
  training error, lr 0.05; test operators on 1,000 test images.  Spectra: Normalization
  M0 = 32, tau = 0.05 (the paper's), Lanczos densities with M = 96 (paper 128/256), log densities
  ``LOG_STEPS`` (paper 2048), top-C by Lanczos instead of 128 subspace iterations.
* Ladders: the layer network's claims climb ``ladder_epochs`` (the page's
  epochs the top computed rung, the paper's 350 above it); the G network's climb ``ladder_widths``
  (the paper's VGG11 above them).

``paper``: the paper's networks and settings (VGG11 / ResNet18, the 8 x 2048 MLP, 5000 per class,
200/350 epochs, M = 256, log M = 2048, T = 128).  The learning rate there is the catalog's
recommended single value, not the paper's 100/25-value sweep (a sweep is thousands of runs).
"""

from __future__ import annotations

LAYER_EPOCHS = 120
LOG_STEPS = 128

_SPECTRA_CI = {"normalization_steps": 32, "margin": 0.05, "num_steps": 96, "log_steps": LOG_STEPS, "kappa": 3.0,
               "top_k_steps": 120, "subspace_iters": 32}
_SPECTRA_PAPER = {"normalization_steps": 32, "margin": 0.05, "num_steps": 256, "log_steps": 2048, "kappa": 3.0,
                  "top_k_steps": 400, "subspace_iters": 128, "solver": "restarted"}

LAYER_NET_CI = {"model": "mlp", "width": 128, "depth": 4, "n_per_class": 200, "epochs": LAYER_EPOCHS, "lr": 0.05,
                "test_n": 1000, "datasets": ["mnist", "fashion-mnist", "cifar10"], "seed": 0, "top": 100, "top_w": 50,
                "gram_n": 30, "kfac_first_layer": 1,
                "ladder_epochs": [LAYER_EPOCHS // 4, LAYER_EPOCHS // 2, LAYER_EPOCHS], "paper_epochs": 350}
LAYER_NET_PAPER = {"model": "mlp", "width": 2048, "depth": 8, "n_per_class": 5000, "epochs": 350, "lr": 0.05,
                   "test_n": 10000, "datasets": ["mnist", "fashion-mnist", "cifar10"], "seed": 0, "top": 750,
                   "top_w": 150, "gram_n": 200, "ladder_epochs": [88, 175, 350], "paper_epochs": 350}

G_NET_CI = {"model": "mlp", "width": 64, "depth": 2, "n_per_class": 136, "epochs": 200, "lr": 0.05,
            "test_n": 1000, "seed": 0, "ladder_widths": [16, 32, 64], **_SPECTRA_CI}
G_NET_PAPER = {"model": "vgg11", "model_config": {}, "n_per_class": 136, "epochs": 350, "lr": 0.05,
               "test_n": 10000, "seed": 0, "dataset": "cifar10", **_SPECTRA_PAPER}

_SYNTH = {"seed": 0}

PRESETS: dict[str, dict[str, dict]] = {
    "papyan/decomp": {"ci": {"seed": 0, "C": 4, "n_per_class": 8, "dim": 40},
                      "paper": {"seed": 0, "C": 10, "n_per_class": 20, "dim": 400}},
    "papyan/thm81": {"ci": {"seed": 0, "grid": [[20, 4, 3.0, 0.3], [30, 5, 2.0, 0.1], [50, 10, 4.0, 0.05]],
                            "mc_N": 5000, "plot": [50, 10, 4.0, 0.05]},
                     "paper": {"seed": 0, "grid": [[20, 4, 3.0, 0.3], [30, 5, 2.0, 0.1], [50, 10, 4.0, 0.05],
                                                   [100, 10, 6.0, 0.02]], "mc_N": 20000, "plot": [50, 10, 4.0, 0.05]}},
    "papyan/fig01": {"ci": dict(_SYNTH, C=4, D=400, N=200), "paper": dict(_SYNTH, C=4, D=400, N=200)},
    "papyan/fig15": {"ci": dict(_SYNTH, wishart_n=2000, pareto_shape=[500, 1000], num_steps=128, log_steps=256,
                                num_repeats=10),
                     "paper": dict(_SYNTH, wishart_n=2000, pareto_shape=[500, 1000], num_steps=256, log_steps=499,
                                   num_repeats=10)},
    "papyan/fig05": {"ci": G_NET_CI, "paper": G_NET_PAPER},
}
for _fig in ("fig02", "fig07", "fig08", "fig09", "fig10", "fig11", "fig12", "fig13"):
    PRESETS[f"papyan/{_fig}"] = {"ci": LAYER_NET_CI, "paper": LAYER_NET_PAPER}
# paper scale: VGG11 needs 32 x 32 inputs (five max-pools), so the MNIST VGG11 runs (figs 3, 4, 14, 16) use
# MNIST zero-padded by 2 pixels (data set ``mnist-32``, one input channel; the paper does not say how it
# fed 28 x 28 digits to VGG11), trained 200 epochs as the paper's MNIST runs (App. D.1); fig03/fig14's
# "various" data sets are read as MNIST, the one data set of Fig. 4
_VGG_MNIST = dict(G_NET_PAPER, dataset="mnist-32", epochs=200)
_VGG_5000 = dict(_VGG_MNIST, n_per_class=5000)
PRESETS["papyan/fig03"] = {"ci": G_NET_CI, "paper": _VGG_5000}
PRESETS["papyan/fig14"] = {"ci": G_NET_CI, "paper": _VGG_5000}
PRESETS["papyan/fig16"] = {"ci": G_NET_CI, "paper": dict(_VGG_MNIST, n_per_class=1351)}
PRESETS["papyan/fig17"] = {"ci": G_NET_CI, "paper": dict(G_NET_PAPER, model="resnet18", dataset="mnist", epochs=200)}
# tab01: the G network (figs 4, 5) and the layer network (figs 7, 9, 13) on MNIST, from the same caches
PRESETS["papyan/tab01"] = {"ci": {"g": G_NET_CI, "layers": LAYER_NET_CI, "seed": 0},
                           "paper": {"g": G_NET_PAPER, "layers": LAYER_NET_PAPER, "seed": 0}}
# fig04: Hess, G and E on the training and the test data
PRESETS["papyan/fig04"] = {"ci": dict(G_NET_CI, splits=["train", "test"]), "paper": dict(_VGG_5000, splits=["train", "test"])}
# fig06: N per class (members of the paper's 20-size grid, App. D.1) x training length (separate runs of that
# many epochs, same schedule shape); 136 per class would triple the cost of the red traces
PRESETS["papyan/fig06"] = {"ci": dict(G_NET_CI, sizes=[10, 26, 71], epoch_grid=[8, 40, 200]),
                           "paper": dict(G_NET_PAPER, sizes=[10, 136, 1351, 5000], epoch_grid=[10, 117, 233, 350])}
