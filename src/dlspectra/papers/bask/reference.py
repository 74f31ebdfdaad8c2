"""The paper's own numbers (Baskerville, Granziol & Keating, Physica A), each with where it stands.

The paper reports few numbers; its figures are histograms against reference curves.  Each entry:
``value``, ``where`` (section / footnote / caption) and ``quote`` (a verbatim excerpt of the text,
``tests/test_bask.py`` checks it occurs in ../shared/papers/baskerville_rmt.txt).  The GOE and
Poisson ``<r~>`` constants are not in the paper: they live in :mod:`dlspectra.rmt`
(Atas et al. 2013).
"""

from __future__ import annotations

PAPER = {
    "P_logistic_mnist": {"value": 7850, "where": "Sec. 4",
                         "quote": "7850 \\times 7850$  for logistic regression"},
    "P_mlp2_mnist_printed": {"value": 9860, "where": "Sec. 4 (a typo for 9960 = 784·10 + 10 + 10·100 + 100 + 100·10 + 10)",
                             "quote": "9860 \\times 9860$  for the small MLP"},
    "P_mlp3_mnist": {"value": 20060, "where": "Sec. 4",
                     "quote": "20060 \\times 20060$  for the larger 3 hidden-layer MLP"},
    "mlp2_widths": {"value": (10, 100), "where": "Sec. 4, footnote 5", "quote": "Hidden layer widths: 10, 100."},
    "mlp3_widths": {"value": (10, 100, 100), "where": "Sec. 4, footnote 6",
                    "quote": "Hidden layer widths: 10, 100, 100."},
    "batch_size": {"value": 64, "where": "Sec. 4", "quote": "over batches of size 64"},
    "lenet_fc_widths": {"value": (35, 50), "where": "Sec. 4",
                        "quote": "from 120 to 35 and the second from 84 to 50"},
    "lenet_accuracy": {"value": 0.69, "where": "Sec. 4", "quote": "The total validation accuracy of 69%"},
    "lenet_accuracy_drop_max": {"value": 0.02, "where": "Sec. 4",
                                "quote": "validation accuracy drop to be no more than 2%"},
    "bike_test_mse": {"value": 0.044, "where": "Sec. 4",
                      "quote": "mean squared error) of the trained model is 0.044"},
    "bike_baseline_mse": {"value": 0.048, "where": "Sec. 4, footnote 8",
                          "quote": "which corresponds to 0.048 mean squared error"},
    "bike_features": {"value": 13, "where": "Sec. 4", "quote": "has only 13-dimensional feature vectors"},
    "epochs": {"value": 300, "where": "Sec. 4, training details", "quote": "SGD for 300 epochs"},
    "lr": {"value": 0.003, "where": "Sec. 4, training details", "quote": "initial learning rate 0.003"},
    "lr_final": {"value": 0.00003, "where": "Sec. 4, training details",
                 "quote": "linear learning rate decay to 0.00003 between epoch 150 and 270"},
    "ratio_display_cut": {"value": 10, "where": "Sec. 6", "quote": "We choose a cut-off at 10"},
    "mass_below_10": {"value": 0.985, "where": "Sec. 6",
                      "quote": "around 0.985 of the mass of the Wigner-like surmise is below 10"},
    "zero_cutoff": {"value": 1e-20, "where": "Sec. 6",
                    "quote": "Imposing a lower cut-off of 10<sup>-20</sup> in magnitude"},
    "mlp3_frac_below_cutoff": {"value": (0.29, 0.40), "where": "Sec. 6.1, footnote 10",
                               "quote": "proportion of eigenvalues below the cut-off was between 0.29 and 0.40"},
    "mlp3_num_batches": {"value": 157, "where": "Sec. 6.1, footnote 10", "quote": "among 157 batch-wise spectra"},
    "unfold_pool_fraction": {"value": 2 / 3, "where": "Sec. 5",
                             "quote": "a random  $\\frac{2}{3}$  of the batch Hessians are reserved"},
    "gp_dim": {"value": 300, "where": "Fig. 5 and 6 captions", "quote": "The dimension is 300 in all cases except (d)"},
    "gp_padded_dim": {"value": 400, "where": "Fig. 5 and 6 captions", "quote": "padded to 400 dimensions with zeros"},
    "gp_samples": {"value": 100, "where": "Fig. 5 caption", "quote": "produced with 100 independent Hessian samples"},
    "gp_kp": {"value": 1.0, "where": "Fig. 5 and 6 captions", "quote": "All use k'(0) = 1"},
    "gp_degenerate": {"value": 100, "where": "Fig. 5 and 6 captions", "quote": "100 degenerate directions"},
    "gp_outliers": {"value": 20, "where": "Fig. 5 and 6 captions", "quote": "= 20$  outliers"},
    "resnet_features_plus_bias": {"value": 513, "where": "App. B (512 features + bias)",
                                  "quote": "Input features 513 to 10 neurons."},
}


def value(key: str):
    """The paper's value of ``key`` (raises KeyError listing the keys)."""
    if key not in PAPER:
        raise KeyError(f"no paper value {key!r}; known: {sorted(PAPER)}")
    return PAPER[key]["value"]


def where(key: str) -> str:
    return PAPER[key]["where"]
