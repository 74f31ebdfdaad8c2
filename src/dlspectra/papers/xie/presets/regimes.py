"""Scale presets of Xie et al.'s LeNet/MNIST "regime" pages: training-set size (fig05), batch size
(fig06, tab03), noisy labels (fig07), random labels (fig21) and the aggregate KS table (tab06).

Every run is the LeNet-MNIST-SGD baseline of :mod:`dlspectra.papers.xie.presets.common` (``CI_LENET`` /
``PAPER_LENET``: same training recipe, same seed) with ONE knob changed, as in the paper
(App. B: "We take the base hyperparameter setting ... as the default setting"). The training-set
Hessian of the unchanged baseline is fig01's spectrum (``hessian`` = the shared block, hence the
same cache entry); every other spectrum uses ``regime_hessian`` on top of it.

``ci``: the baseline is 5,000 MNIST images, 6 epochs. The sweeps test the top K = 50 eigenvalues
(d_c = 0.192) from at most 400 Lanczos steps (a budget: Lanczos stops once they converge); the baseline's fig01 spectrum (K = 100) is fitted on
its top 50 so that every row of a page is tested at the same K.

* batch size (fig06/tab03): the paper's transition (pass for B <= 640, fail for B >= 768 at
  N = 60,000) is read as a fraction of the training set, B/N (i.e. steps per epoch; the paper's
  own Phase III is B = N, full batch). The ci grid is every batch size of the paper mapped so,
  B_ci = round(B_paper x 5,000/60,000): 128 -> 11, 512 -> 43, 640 -> 53 (Phase I), 768 -> 64,
  1024 -> 85, 8192 -> 683, 16384 -> 1365, 32768 -> 2731, 50000 -> 4167 (Phase II), 60,000 -> 5,000
  (full batch, Phase III), plus the ci baseline B = 128 (fig01's run, no new cost; it stands for
  1,536, Phase II). Each new size costs about 10-15 s cold (training + K = 50 spectrum).
* training-set size (fig05): the paper's recipe for these runs, 50 epochs (the catalog's ci advice:
  small sets train cheaply), on its three smallest sizes 600, 800, 1,000, which hold the claimed
  transition (600 fails, >= 800 pass); 3,000 and 6,000 at 50 epochs would cost 1-2 min of CPU each.
* labels (fig07, fig21): the baseline recipe on noisy / shuffled labels, trained the paper's 50
  epochs (``label_epochs``; the clean comparison runs too); Gaussian inputs of MNIST shape with
  random labels for fig21b.
"""

from dlspectra.papers.xie.presets.common import CI_LENET, _CI, _PAPER

CI_REGIME_HESSIAN = {"k": 50, "max_steps": 400}  # a budget: Lanczos stops once the top 50 converge
PAPER_REGIME_HESSIAN: dict = {}  # the paper's K = 1000 for everything

_CI_R = dict(_CI, regime_hessian=CI_REGIME_HESSIAN, fit_k=50)
_PAPER_R = dict(_PAPER, regime_hessian=PAPER_REGIME_HESSIAN, fit_k=1000)

BATCH_PAPER = [128, 512, 640, 768, 1024, 8192, 16384, 32768, 50000, 60000]
CI_N = CI_LENET["mnist"]["train_n"]  # 5,000: the ci baseline's training set
BASELINE_B = 128  # the baseline's batch size at both scales (fig01's run)
# the ci size of each paper size at the same B/N; and the paper size each ci size stands for
_CI_OF_PAPER = {b: round(b * CI_N / 60000) for b in BATCH_PAPER}
BATCH_CI_EQUIV = dict(sorted({**{c: b for b, c in _CI_OF_PAPER.items()},
                              BASELINE_B: BASELINE_B * 60000 // CI_N}.items()))
"""ci batch size -> the paper batch size at the same B/N: 11 -> 128, ..., 5000 -> 60000, and the
baseline 128 -> 1536 (not one of the paper's sizes)."""
BATCH_CI = list(BATCH_CI_EQUIV)
BATCH_PAPER_EQUIV = {b: b for b in BATCH_PAPER}

SIZES_PAPER = [600, 800, 1000, 3000, 6000]
SIZES_CI = [600, 800, 1000]

NOISE = [0.4, 0.8]

FIG06_CI = dict(_CI_R, batch_sizes=BATCH_CI, batch_equiv=BATCH_CI_EQUIV, phase1_max=53, phase3_min=5000)
FIG06_PAPER = dict(_PAPER_R, batch_sizes=BATCH_PAPER, batch_equiv=BATCH_PAPER_EQUIV, phase1_max=640,
                   phase3_min=60000)
FIG05_CI = dict(_CI_R, sizes=SIZES_CI, size_epochs=50)
FIG05_PAPER = dict(_PAPER_R, sizes=SIZES_PAPER, size_epochs=50)
# outliers: ranks whose eigenvalue lies more than twice above the fitted line; the "bulk" fit drops
# the top ``drop_top`` eigenvalues (the paper: "dozens of top outliers" of 1000; ci: 10 of 50)
# label_epochs: noisy- and random-label runs (and the clean runs they are compared with) train the
# paper's 50 MNIST epochs at both scales: the paper's claims are about networks that fit the noise,
# which 6 epochs on 5,000 images do not (about 2,000 SGD steps per model, ~30 s on a quiet CPU)
LABEL_EPOCHS = 50
FIG07_CI = dict(_CI_R, noise=NOISE, label_epochs=LABEL_EPOCHS)
FIG07_PAPER = dict(_PAPER_R, noise=NOISE, label_epochs=LABEL_EPOCHS)
FIG21_CI = dict(_CI_R, drop_top=10, label_epochs=LABEL_EPOCHS)
FIG21_PAPER = dict(_PAPER_R, drop_top=50, label_epochs=LABEL_EPOCHS)
# tab06 re-uses the settings of every page it aggregates (hence their cache entries)
TAB06_CI = dict(_CI_R, batch_sizes=BATCH_CI, batch_equiv=BATCH_CI_EQUIV, phase1_max=53, phase3_min=5000,
                sizes=SIZES_CI, size_epochs=50, noise=NOISE, drop_top=10, label_epochs=LABEL_EPOCHS,
                datasets=["mnist", "fashion-mnist"])
TAB06_PAPER = dict(_PAPER_R, batch_sizes=BATCH_PAPER, batch_equiv=BATCH_PAPER_EQUIV, phase1_max=640,
                   phase3_min=60000, sizes=SIZES_PAPER, size_epochs=50, noise=NOISE, drop_top=50,
                   label_epochs=LABEL_EPOCHS, datasets=["mnist", "fashion-mnist"])

PRESETS = {
    "xie/fig05": {"ci": FIG05_CI, "paper": FIG05_PAPER},
    "xie/fig06": {"ci": FIG06_CI, "paper": FIG06_PAPER},
    "xie/tab03": {"ci": FIG06_CI, "paper": FIG06_PAPER},
    "xie/fig07": {"ci": FIG07_CI, "paper": FIG07_PAPER},
    "xie/fig21": {"ci": FIG21_CI, "paper": FIG21_PAPER},
    "xie/tab06": {"ci": TAB06_CI, "paper": TAB06_PAPER},
}
