"""Scale presets of Xie et al.'s fully connected networks: depth (fig04), width (fig18), the FCN KS
table (tab08), Avila (fig13), linear networks (tab10) and the gradient-noise covariance (fig20).

The MNIST FCNs use the LeNet-MNIST recipe of :mod:`dlspectra.papers.xie.presets.common` (catalog-xie
0.3: "use the MNIST recipe for FCN/LNN": SGD-momentum lr 0.1, batch 128, wd 5e-4, lr /10 at 40 %/80 %)
on the paper's full training set of 60,000 images at both scales (the softmax regression's point
is its parameter/sample ratio, 7,850 / 60,000); ``ci`` trains 6 epochs (paper: 50, catalog
assumption), the Hessian over the first 512 training images. Spectra: ``ci`` top K = 200 by
Lanczos (d_c = 0.096; ``fcn_k``: the 1Layer-FCN's top 1000, the paper's K, which costs seconds for
its 7,850 parameters), every run tested at ``fit_k`` = 200; the K trends are sub-fits of these
spectra. fig04, fig18, tab08 and tab10 ask for the same runs with the same settings, so each model
and spectrum is computed once. The ``ci`` width grid is 10, 30, 50, 100 (crossing the paper's
30 -> 50 transition); ``paper`` has all six widths.

Cost (products): the 2Layer-FCN top-300 over 512 images converged in 810 Lanczos steps, the
1Layer-FCN top-1000 in 1000 steps (measured on this machine under load; K = 200 is chosen by cost).

Avila (fig13): the catalog's assumption for the recipe (SGD-momentum lr 0.1, B = 128, wd 5e-4,
50 epochs, /10 at 40 %/80 %) on the full training file (10,430 rows), Hessian over all of it,
top K = 50 (the paper's K). The 2,312-parameter network is so small that ``ci`` = ``paper`` here.

fig20: the covariance of per-sample gradients over the first ``covariance_n`` training images
(the M samples), 2Layer-FCN trained at several batch sizes (the paper names none; catalog
assumption 128, 512, 1024), epochs fixed (as in Xie's batch-size sweeps).
"""

from dlspectra.papers.xie.presets.common import _CI, _PAPER, CI_HESSIAN, CI_LENET, PAPER_LENET

# Avila: full training file at both scales (the paper gives no Avila recipe: its MNIST one, App. B)
_AVILA = {"train_n": None, "epochs": 50}
# MNIST FCNs: the full 60,000 images (the paper's), 6 epochs at ci
CI_FCN_DATA = dict(CI_LENET, mnist={"train_n": None, "epochs": 6}, avila=_AVILA)
PAPER_FCN_DATA = dict(PAPER_LENET, avila=_AVILA)

# Avila Hessian: all 10,430 rows, top 50 (the paper's K for Avila); the same at both scales
AVILA_HESSIAN = {"hessian_n": None, "batch_size": 2048, "k": 50, "max_steps": 400, "tol": 1e-6}

DEPTHS = [1, 2, 4]
WIDTHS = [10, 20, 30, 50, 70, 100]
WIDTHS_CI = [10, 30, 50, 100]  # crosses the paper's 30 -> 50 transition; 20 and 70 left to paper scale
LNN_VARIANTS = ["plain", "batchnorm", "relu"]
COV_BATCH_SIZES = [128, 512, 1024]

# FCN spectra: top 200 (the 1Layer-FCN: top 1000), all tested at fit_k
CI_FCN_HESSIAN = dict(CI_HESSIAN, hessian_n=512, batch_size=512, k=200, max_steps=900)  # 512 images: see presets.common
CI_FCN_K = {1: {"k": 1000, "max_steps": 2000}}

_CI_F = dict(_CI, lenet=CI_FCN_DATA, hessian=CI_FCN_HESSIAN, fcn_k=CI_FCN_K, fit_k=200, avila_hessian=AVILA_HESSIAN,
             width=100)
_PAPER_F = dict(_PAPER, lenet=PAPER_FCN_DATA, fcn_k={}, fit_k=1000, avila_hessian=AVILA_HESSIAN, width=100)

# gradient-noise covariance: M per-sample gradients, top K by Lanczos
CI_COVARIANCE = {"covariance_n": 512, "k": 100, "max_steps": 250, "tol": 1e-5}
PAPER_COVARIANCE = {"covariance_n": 10000, "k": 1000, "max_steps": 2500, "tol": 1e-6}

PRESETS = {
    "xie/fig04": {"ci": dict(_CI_F, depths=DEPTHS), "paper": dict(_PAPER_F, depths=DEPTHS)},
    "xie/fig18": {"ci": dict(_CI_F, widths=WIDTHS_CI), "paper": dict(_PAPER_F, widths=WIDTHS)},
    "xie/tab08": {"ci": dict(_CI_F, depths=DEPTHS, widths=WIDTHS_CI),
                  "paper": dict(_PAPER_F, depths=DEPTHS, widths=WIDTHS)},
    "xie/fig13": {"ci": dict(_CI_F), "paper": dict(_PAPER_F)},
    "xie/tab10": {"ci": dict(_CI_F, variants=LNN_VARIANTS), "paper": dict(_PAPER_F, variants=LNN_VARIANTS)},
    "xie/fig20": {"ci": dict(_CI_F, batch_sizes=COV_BATCH_SIZES, covariance=CI_COVARIANCE),
                  "paper": dict(_PAPER_F, batch_sizes=COV_BATCH_SIZES, covariance=PAPER_COVARIANCE)},
}
