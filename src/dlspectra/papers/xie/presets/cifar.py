"""Scale presets of Xie et al.'s CIFAR pages: ResNet18 (fig14, fig19, tab09) and LeNet across
optimizers on CIFAR-10 (fig15, fig17, tab07).

LeNet (fig15, fig17, tab07 share every run, hence identical blocks): the CIFAR-10 recipe of
:mod:`dlspectra.papers.xie.presets.common` (``CI_LENET`` / ``PAPER_LENET``: the SGD model is fig01's, same cache
entry) trained with each optimizer at the paper's CIFAR learning rate. ``optimizers``: at both
scales all 11 of the paper (``list(OPTIMIZERS)``; ``ci`` had five before: about
13 s cold per optimizer on a quiet 2-core CPU for 10 epochs on the 4,000-image subset, the K = 50
spectrum over 256 images and a 30-probe trace). ``cifar_hessian``: at ``ci`` the top K = 50
(d_c = 0.192) of the Hessian over the first 256 training images, at most 400 Lanczos steps; at
``paper`` the shared K = 1000 block. ``trace_probes``: Rademacher probes of the Hutchinson trace (fig17).

ResNet18 (fig14, fig19, tab09 share every run): ``resnet`` is the training-set size and epochs per
data set (read by :func:`dlspectra.papers.xie.recipes.xie_train_config` as its ``lenet`` block),
``resnet_model`` the model config, ``resnet_hessian`` the spectrum. ``paper``: full width (64;
11.2M parameters), full CIFAR-10, 200 epochs, K = 50 over the whole training set. ``ci``: width 4
(channels 4-8-16-32, same depth and blocks; 44.6k parameters, about LeNet's size), the offline
4,000-image CIFAR-10 subset, 3 epochs (moved from 2 by cost: about 26 s more CPU on a quiet core
for the three trained runs of the batch pages; a fourth epoch would cost as much again and does not
fit CI's budget once the ladders are paid), K = 50 over the first 32 training images from at most 400
Lanczos steps; SGD only (``resnet_optimizers``; the paper's 11 would cost about 10 x 20 s more cold,
which does not fit CI's budget). Measured on the shared 2-core machine: a width-8 network with a 64-image Hessian
(the first choice) cost about 4x more per Hessian-vector product and did not fit CI's budget. With
80 steps only the top ~20 Ritz values converged (the tail spread through the bulk and dominated
d_ks); 150 steps converged 36-49 of the top 50 (relative residual < 1e-3), so the budget is 400 (claims on a spectrum that still does not converge are inconclusive).

Batch sizes (fig19): the paper's transition (pass for B <= 1152, fail for B >= 1280 at N = 50,000,
fixed epochs) is read as a fraction of the training set, B/N (the number of steps per epoch), as
the LeNet batch pages do: B_ci = B_paper x 4,000/50,000. The ci grid 32 (= 400: pass side),
128 (= 1,600: fail side; the default batch) and 1,000 (= 12,500: fail side) crosses it.
"""

from dlspectra.papers.xie.presets.common import CI_HESSIAN, CI_LENET, PAPER_HESSIAN, PAPER_LENET, _CI, _PAPER
from dlspectra.optim import OPTIMIZERS

# ---- LeNet on CIFAR-10 across optimizers (fig15, fig17, tab07) -----------------------------
CI_CIFAR_HESSIAN = dict(CI_HESSIAN, hessian_n=256, batch_size=256, k=50, max_steps=400)
PAPER_CIFAR_HESSIAN = dict(PAPER_HESSIAN)
OPTIMIZERS_CI = list(OPTIMIZERS)
OPTIMIZERS_PAPER = list(OPTIMIZERS)

_LENET_CI = dict(_CI, lenet=CI_LENET, cifar_hessian=CI_CIFAR_HESSIAN, optimizers=OPTIMIZERS_CI,
                 trace_probes=30, datasets=["cifar10", "cifar100"])
_LENET_PAPER = dict(_PAPER, lenet=PAPER_LENET, cifar_hessian=PAPER_CIFAR_HESSIAN, optimizers=OPTIMIZERS_PAPER,
                    trace_probes=100, datasets=["cifar10", "cifar100"])

# ---- ResNet18 on CIFAR-10/100 (fig14, fig19, tab09) ----------------------------------------
CI_RESNET = {"cifar10": {"train_n": 4000, "epochs": 3}, "cifar100": {"train_n": 5000, "epochs": 3}}
PAPER_RESNET = {"cifar10": {"train_n": None, "epochs": 200}, "cifar100": {"train_n": None, "epochs": 200}}
CI_RESNET_HESSIAN = {"hessian_n": 32, "batch_size": 32, "k": 50, "max_steps": 400, "tol": 1e-5}
PAPER_RESNET_HESSIAN = {"hessian_n": None, "batch_size": 500, "k": 50, "max_steps": 300, "tol": 1e-6}

BATCH_PAPER = [128, 512, 1024, 1152, 1280, 2048, 4096, 16384]
BATCH_CI = [32, 128, 1000]

_RESNET_CI = dict(_CI, resnet=CI_RESNET, resnet_model={"width": 4}, resnet_hessian=CI_RESNET_HESSIAN,
                  resnet_optimizers=["sgd"], batch_sizes=BATCH_CI, paper_n=50000,
                  datasets=["cifar10", "cifar100"])
_RESNET_PAPER = dict(_PAPER, resnet=PAPER_RESNET, resnet_model={"width": 64}, resnet_hessian=PAPER_RESNET_HESSIAN,
                     resnet_optimizers=list(OPTIMIZERS), batch_sizes=BATCH_PAPER, paper_n=50000,
                     datasets=["cifar10", "cifar100"])

PRESETS = {
    "xie/fig14": {"ci": dict(_RESNET_CI), "paper": dict(_RESNET_PAPER)},
    "xie/fig19": {"ci": dict(_RESNET_CI), "paper": dict(_RESNET_PAPER)},
    "xie/tab09": {"ci": dict(_RESNET_CI), "paper": dict(_RESNET_PAPER)},
    "xie/fig15": {"ci": dict(_LENET_CI), "paper": dict(_LENET_PAPER)},
    "xie/fig17": {"ci": dict(_LENET_CI), "paper": dict(_LENET_PAPER)},
    "xie/tab07": {"ci": dict(_LENET_CI), "paper": dict(_LENET_PAPER)},
}
