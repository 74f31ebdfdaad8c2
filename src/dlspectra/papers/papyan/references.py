"""The paper's own numbers, as data: each a :class:`~dlspectra.book.reference.Reference` with the
figure/section it belongs to and a verbatim quote of the sentence it comes from
(``tests/test_papyan.py`` checks that every quote occurs in the paper's text).  Pages show these in
the "paper" column only.
"""

from __future__ import annotations

from dlspectra.book.reference import Reference

REFS: dict[str, Reference] = {
    "vgg11_params": Reference(28_000_000, "Sec. 4.1, Fig. 3 caption", "an architecture with 28 million parameters"),
    "fig05_n_per_class": Reference(136, "Fig. 5 caption", "CIFAR10 subsampled to 136 examples per class"),
    "fig06_epsilon": Reference(1e-5, "Fig. 6 caption", "approximate the spectrum of  $\\log(G + 10^{-5}I)$"),
    "fig07_top": Reference(750, "Fig. 7 caption", "scatter plot of the top 750 log-eigenvalues of  $\\mathbf{H}^l$"),
    "fig09_top": Reference(750, "Fig. 9 caption", "a scatter plot of top the 750 log-eigenvalues of  $\\Delta^l$"),
    "fig13_top": Reference(150, "Fig. 13 caption", "scatter plot of the top 150 log singular values of  $\\mathbf{W}^l$"),
    "mlp_width": Reference(2048, "Figs. 7-13 captions, App. D.1", "an eight-layer MLP with 2048 neurons in each hidden layer"),
    "fig15a_dim": Reference(2000, "Fig. 15a caption", "$Y \\in \\mathbb{R}^{2000 \\times 2000}$"),
    "fig15a_spikes": Reference("5, 4, 3", "Fig. 15a caption", "$X_{1,1} = 5$ ,  $X_{2,2} = 4$ ,  $X_{3,3} = 3$"),
    "fig15b_pareto": Reference(1, "Fig. 15b caption", "distributed i.i.d Pareto with index  $\\alpha = 1$"),
    "fig16_n_per_class": Reference(1351, "Fig. 16 caption", "MNIST sub-sampled to 1351 examples per class"),
    "fig16_fit_E": Reference("1.2e-4 |λ|^-2.7, R² 0.99", "Fig. 16 caption (left)",
                       "$\\phi = 1.2 \\times 10^{-4} |\\lambda|^{-2.7}$  with an  $R^2$  of 0.99"),
    "fig16_fit_logE": Reference("2.6e-4 |λ|^-2.2, R² 0.99", "Fig. 16 caption (right)",
                          "$\\phi = 2.6 \\times 10^{-4} |\\lambda|^{-2.2}$  with an  $R^2$  of 0.99"),
    "fig17_n_per_class": Reference(136, "Fig. 17 caption", "ResNet18 trained on MNIST with 136 examples per class"),
    "weight_decay": Reference(5e-4, "App. D.1", "$5 \\times 10^{-4}$  weight decay and 128 batch size"),
    "epochs_vgg": Reference("200 (MNIST, FashionMNIST), 350 (CIFAR)", "App. D.1", "We train for 200 epochs in the case of"),
    "epochs_mlp": Reference(350, "App. D.1", "train for 350 epochs for all datasets"),
    "lr_grid_vgg": Reference(100, "App. D.1", "we sweep over 100 logarithmically spaced initial learning rates"),
    "lr_grid_mlp": Reference(25, "App. D.1", "optimize the initial learning rate over 25 logarithmically spaced values"),
    "sizes": Reference("20 sizes in [10, 5000] per class", "App. D.1",
                 "20 training sample sizes logarithmically spaced in the range [10, 5000]"),
    "normalization": Reference("M0 = 32, τ = 0.05", "App. D.2", "NORMALIZATION( $A, M_0=32, \\tau=0.05$ )"),
    "lanczos": Reference("K = 1024, n_vec = 1, κ = 3", "App. D.2",
                   "LANCZOSAPPROXSPEC( $A, M, K=1024, n_{\\text{vec}}=1, \\kappa=3$ )"),
    "subspace_T": Reference(128, "App. D.2", "(A, C, T=128)"),
    "log_M": Reference(2048, "App. D.2", "we use M=2048 iterations and a different value of  $\\kappa$"),
    "fig03_outliers": Reference(10, "Fig. 3 caption", "Notice the presence of a bulk and C(=10) outliers"),
    "negative_train": Reference("negative eigenvalues in the train Hessian", "Sec. 4.1",
                          "negative eigenvalues exist in the spectrum of the train Hessian"),
    "minibulk": Reference("C(C-1)", "Sec. 1.6", "a mini-bulk consisting of  $C(C-1) \\approx C^2"),
}


def ref(key: str) -> Reference:
    """The reference ``key`` (raises ``KeyError`` listing the keys)."""
    if key not in REFS:
        raise KeyError(f"unknown reference {key!r}; known: {', '.join(REFS)}")
    return REFS[key]
