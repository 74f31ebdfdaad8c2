"""Scale presets of Xie et al.'s LeNet MNIST / Fashion-MNIST pages on eigengaps (fig02, fig12, tab02),
power iteration vs Lanczos (fig11) and the eleven optimizers (fig03, fig16).

Every page uses the shared LeNet blocks of :mod:`dlspectra.papers.xie.presets.common` unchanged, so the SGD
baselines (and their K = 100 training-set spectra at ``ci``) are the cache entries of fig01/tab01.

* Eigengaps (fig02, fig12, tab02): the gaps δ_k = λ_k − λ_{k+1} of the baseline spectrum, no new
  Hessian work. ``ci``: K = 100 eigenvalues give 99 gaps (d_c = 0.137); ``paper``: K = 1000 (the
  paper tests 1000 gaps; we have 999 from 1000 eigenvalues, the difference is one sample).
* Power iteration (fig11): PyHessian's power iteration with deflation (≤ 100 products per
  eigenvalue, relative tolerance 1e-3) on the baseline MNIST Hessian, compared with the baseline
  Lanczos spectrum. ``ci``: top 20; ``paper``: top 100 (the paper does not say how many).

Optimizer runs (fig03, fig16; also imported by tab06)
-----------------------------------------------------
:data:`OPTIMIZER_RUNS_CI` / :data:`OPTIMIZER_RUNS_PAPER` are the settings of the optimizer
comparison; any page that wants the *same cached models and spectra* uses them as follows::

    from dlspectra.papers.xie.presets.lenet_mnist import OPTIMIZER_RUNS_CI as o   # or OPTIMIZER_RUNS_PAPER
    for opt in o["optimizers"]:
        if opt == "sgd":   # the fig01 baseline, its spectrum unchanged (K = 100 at ci)
            run = lenet_run(p, "mnist")
        else:
            run = lenet_run(p, "mnist", optimizer=opt, spectrum_changes=o["opt_hessian"])
        fit = fit_spectrum(run.spectrum, o["fit_k"])         # every optimizer tested at the same K

(``p`` any preset built on ``_CI`` / ``_PAPER`` of :mod:`dlspectra.papers.xie.presets.common`, or ``o`` itself;
:func:`dlspectra.papers.xie.sharpness.optimizer_runs` does exactly this.) Each optimizer trains with the
baseline recipe (same data, epochs, batch 128, weight decay 5e-4, schedule) at the paper's learning
rate for it (:data:`dlspectra.optim.PAPER_LR`).

``ci``: all 11 of the paper's optimizers (:data:`OPTIMIZERS_CI` is :data:`OPTIMIZERS_PAPER`, same
order); each optimizer beyond the SGD baseline costs about 21 s cold on a quiet 2-core CPU (training
plus its K = 50 spectrum and the Hutchinson trace of fig16). Spectra of the non-baseline models
K = 50 by ≤ 400 Lanczos steps (the sweep setting of :mod:`dlspectra.papers.xie.presets.regimes`),
every fit at K = 50 (d_c = 0.192); Hutchinson trace with 50 Rademacher probes over the same 256
samples. ``paper``: the same 11, K = 1000, trace with 200 probes over the full training set.
"""

from dlspectra.papers.xie.presets.common import _CI, _PAPER

OPTIMIZERS_PAPER = ["sgd", "vanilla-sgd", "adam", "amsgrad", "adabound", "yogi", "radam", "adai", "pnm",
                    "lookahead", "diffgrad"]
OPTIMIZERS_CI = list(OPTIMIZERS_PAPER)  # all 11, the paper's order

OPTIMIZER_RUNS_CI = dict(_CI, optimizers=OPTIMIZERS_CI, opt_hessian={"k": 50, "max_steps": 400}, fit_k=50,
                         trace_probes=50)
"""ci optimizer comparison: see the module docstring."""
OPTIMIZER_RUNS_PAPER = dict(_PAPER, optimizers=OPTIMIZERS_PAPER, opt_hessian={}, fit_k=1000, trace_probes=200)
"""paper optimizer comparison: the paper's 11 optimizers, K = 1000."""

EIGENGAP_CI = dict(_CI, datasets=["mnist", "fashion-mnist"])
EIGENGAP_PAPER = dict(_PAPER, datasets=["mnist", "fashion-mnist"])

POWER_CI = dict(_CI, power={"k": 20, "max_iter": 100, "tol": 1e-3})
POWER_PAPER = dict(_PAPER, power={"k": 100, "max_iter": 100, "tol": 1e-3})

PRESETS = {
    "xie/fig02": {"ci": dict(EIGENGAP_CI, datasets=["mnist"]), "paper": dict(EIGENGAP_PAPER, datasets=["mnist"])},
    "xie/fig12": {"ci": dict(EIGENGAP_CI, datasets=["fashion-mnist"]),
                  "paper": dict(EIGENGAP_PAPER, datasets=["fashion-mnist"])},
    "xie/tab02": {"ci": EIGENGAP_CI, "paper": EIGENGAP_PAPER},
    "xie/fig11": {"ci": POWER_CI, "paper": POWER_PAPER},
    "xie/fig03": {"ci": OPTIMIZER_RUNS_CI, "paper": OPTIMIZER_RUNS_PAPER},
    "xie/fig16": {"ci": OPTIMIZER_RUNS_CI, "paper": OPTIMIZER_RUNS_PAPER},
}
