"""The claims of the Papyan pages, as data: ``CLAIMS = {"papyan/<id>": [ClaimSpec, ...]}``.

Every claim's :class:`~dlspectra.book.rules.Rule` quotes the sentence of the paper it encodes
(verbatim; ``tests/test_claims_registry.py`` checks each quote against the paper's text) and was
written from that sentence before its numbers were seen. Identities that hold by construction
(ranks of the low-rank pieces, the vanishing last C eigenvalues of the rank-C² matrix, the
decomposition identities) are not claims: the pages record them with
:meth:`~dlspectra.book.results.ClaimRecorder.identity`.

Ladder axes: the G network's claims (figs 3-5, 14, 16, 17, tab01) climb its hidden **width**
(the paper's network is VGG11 with 28 M parameters); the layer network's (figs 2, 7-13, tab01)
climb the training **epochs** (the paper's 350); fig06's dynamics claims climb the grid itself
(the longest training / the largest sample size of its panels); the synthetic Lanczos checks of
fig15 climb the Lanczos steps; thm81's Monte-Carlo claim the number of samples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dlspectra.book.rules import ClaimSpec, Rule

C = 10
DATASET_NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR10"}
LAYER_DATASETS = ("mnist", "fashion-mnist", "cifar10")
SPLITS = ("train", "test")

CHI2_1_Q05 = 0.00393214
"""5 % quantile of chi-square with one degree of freedom: the least weight (times 1/p) a random start
vector gives one eigenvector with probability 95 % (Lanczos weights ``|<v, u_i>|^2``, mean 1/p)."""

PHI_MINUS_3 = 0.0013498980316301
"""Φ(−3): the most mass a Gaussian kernel of width σ centred at λ ≥ 0 puts below −3σ."""


# ----------------------------------------------------------------------------- rule helpers


def n_decreases(values: Sequence[float]) -> int:
    return int(np.sum(np.diff(np.asarray(values, dtype=float)) < 0))


def depth_trend_holds(values: Sequence[float]) -> bool:
    """Larger at the last than at the first layer, allowing one decrease between layers."""
    v = np.asarray(values, dtype=float)
    return bool(v[-1] > v[0] and n_decreases(v) <= 1)


def depth_trend_margin(values: Sequence[float]) -> float:
    """``log(v_L / v_1)`` less one per decrease beyond the first (> 0 when the trend holds)."""
    v = np.asarray(values, dtype=float)
    return float(np.log(v[-1] / v[0]) - max(0, n_decreases(v) - 1))


def _trend_rule(statistic: str, *, quote: str, where: str) -> Rule:
    return Rule.custom(statistic, f"{statistic}: larger at the last than at the first hidden layer, at most one "
                       "decrease between layers", depth_trend_holds, depth_trend_margin, quote=quote, where=where)


def _power_law_test(v: dict) -> bool:
    return bool(v["dR2"] > 0 and v["R2"] > 0.9)


def _power_law_margin(v: dict) -> float:
    return float(min(v["dR2"], v["R2"] - 0.9))


# ----------------------------------------------------------------------------- quotes

Q_OUTLIERS = "We observe a clear bulk-and-outliers structure with, arguably, C outliers."
Q_NEGATIVE = "negative eigenvalues exist in the spectrum of the train Hessian"
Q_MAGNITUDE = "Note there is a clear difference in magnitude between the train and test Hessian"
Q_G_OUTLIERS = "Notice how knocking out G eliminates the outliers in the spectrum; the outliers in the Hessian are attributable to G."
Q_SHRINKS = "Notice how knocking out E shrinks the bulk significantly"
Q_FROM_E = "indicating that the bulk originates largely from E"
Q_FIM_OUTLIERS = ("The C class means and  $C^2$  cross-class means in the layer-concatenated gradients induce C and  "
                  "$C^2$  outliers in the spectra of the FIM.")
Q_CLASS_KO = "Once  $G_{\\text{class}}$  is knocked out, the C outliers on the right disappear"
Q_CROSS_KO = "once  $G_{\\text{cross}}$  is knocked out, the left mini-bulk disappears"
Q_SAME_KO = "Subtracting  $G_{c=c'}$  has no clear effect on the spectrum"
Q_ORANGE = ("Notice the alignment between the C outliers of G, colored in orange, and the eigenvalues of  "
            "$G_{\\text{class}}$ , colored in yellow.")
Q_RED = "and also the main bulk of G and the red dots corresponding to  $G_{\\text{within}}$"
Q_SEPARATE = ("Fixing sample size and increasing the number of epochs causes spectral bulks of  $G_{cross}$  and  "
              "$G_{within}$  to separate.")
Q_MERGE = "In contrast, fixing the epoch and increasing sample size causes the spectral bulks to merge."
Q_STEADY = ("Moreover, varying the epoch number or the training sample size does not change significantly the distance "
            "between the  $G_{class}$  and  $G_{within}$ .")
Q_H_ATTR = ("Since the knockout eliminated the outliers, these would-be outliers are attributed to the matrix we knocked "
            "out, i.e.,  $H_{class}^{l}$ .")
Q_H_DEPTH = ("In short, there is a bulk-and-outliers structure in the spectrum of  $\\mathbf{H}^l$  and the outliers "
             "emerge from the bulk with increasing depth.")
Q_H_GLOBAL = "One can similarly attribute via knockouts the largest of these C outliers to the second moment of the global mean."
Q_H_SEP = ("Observe the increasing separation, with increasing depth, of the C eigenvalues of  "
           "$\\mathbf{H}_{\\text{class}}^{l}$  from the bulk.")
Q_H_WHITE = ("Notice how the ratio decreases as function of depth, i.e., the eigenvalues of  "
             "$\\boldsymbol{H}_{\\mathrm{class}}^l$  become increasingly closer to each other.")
Q_D_ATTR = ("In Figure 9a we attribute via knockouts the top C outliers in  $\\Delta^l$  to the spectrum of  "
            "$\\Delta^l_{\\rm class}$ .")
Q_D_GROUP = ("Notice the gap dividing the set of all blue points into two groups: one that is close to the orange "
             "points, and another which is well-separated from the orange points.")
Q_D_SEP = ("Observe the increasing separation, with increasing depth, of the C eigenvalues of  "
           "$\\Delta_{\\text{class}}^l$  from the bulk.")
Q_D_WHITE = "Note how this ratio decreases with depth; by the last layer, all eigenvalues are of fairly similar magnitude."
Q_CFAC_11 = ("Inspection reveals that the spectra of  $G^l_{CFAC}$  and  $G^l$  align much better than do those of  "
             "$G^l_{KFAC}$  and  $G^l$ .")
Q_CFAC_OUT = "do align well with corresponding outliers in the spectrum of  $G^l_{CFAC}$"
Q_CFAC_12 = "At deeper layers, the spectra of  $G^l_{CFAC}$  and  $G^l$  again align much better than  $G_{KFAC}$  and  $G^l$ ."
Q_W_ATTR = ("Since the knockout eliminated the outliers, these would-be outliers are attributed to the matrix we knocked "
            "out, i.e.,  $W_{\\rm class}^l$ .")
Q_W_DEPTH = ("This implies a 'bulk-and-outliers' pattern exists in the spectrum of  $\\mathbf{W}^l$ , and the outliers "
             "emerge from the bulk as we move towards deeper layers.")
Q_NO_DEFL = ("Both are described in Appendix C, where we also show the same plots except without first applying "
             "LowrankDeflation.")
Q_ALIGN = "Notice how the top eigenvalues at the top panel align with the outliers in the bottom panel."
Q_SYM = "Notice how the spectrum is almost perfectly symmetric about the origin."
Q_FIT = ("Fitting a power law trend on part of the spectrum results in a fit  $\\phi = 1.2 \\times 10^{-4} "
         "|\\lambda|^{-2.7}$  with an  $R^2$  of 0.99.")
Q_LANCZOS = "we found that our method approximates the spectrum well, as is shown in Figure 15."
Q_PARETO = "This type of matrices are known to have a power law spectral density."
Q_KRON_C = ("The previous subsection suggests that the class means of gradients, which cause the outliers in G, can be "
            "approximated as the Khatri-Rao product of the C feature class means and the C error class means")
Q_KRON_CC = ("Moreover, the  $C^2$  cross-class means causing the other visible outliers can be approximated as the "
             "Khatri-Rao product of the C feature class means and the  $C^2$  error cross-class means")
Q_THM = ("The spectrum of the expected FIM of multinomial logistic regression, with symmetric probabilities, trained on  "
         "$\\mathcal{CCM}(D,C)$ , is given by:")
Q_THM_GROUPS = "Notice how the spectrum has C outliers, a mini-bulk consisting of approximately  $C^2$  eigenvalues, and a main bulk."
Q_LEMMA = "The expected FIM of multinomial logistic regression, with symmetric probabilities, trained on CCM(D,C), is given by:"
Q_THM_SEP = "the separation of the top-C outliers from the mini-bulk (because  $1 - \\alpha$  would increase)"

# ----------------------------------------------------------------------------- statistics (names shown on the pages)

RATIO_SHIFT = "median log-shift of ranks C+1..k / of the top C"
LOG2 = math.log(2.0)

W_AXIS = "width"
"""Ladder axis of the G network's claims."""
E_AXIS = "epochs"
"""Ladder axis of the layer network's claims."""


def _g_net(claim_id: str, text: str, rule: Rule, paper=None) -> ClaimSpec:
    return ClaimSpec(claim_id, text, rule, paper=paper, ladder=W_AXIS)


def _layer(claim_id: str, text: str, rule: Rule, paper=None) -> ClaimSpec:
    return ClaimSpec(claim_id, text, rule, paper=paper, ladder=E_AXIS)


# ----------------------------------------------------------------------------- G network pages

def fig03_specs() -> list[ClaimSpec]:
    return [
        _g_net("outliers", "C = 10 outliers outside the bulk of the train Hessian",
               Rule.above("top-C eigenvalues above the 99.9 % quantile of the deflated density", 7.5,
                          quote=Q_OUTLIERS, where="Sec. 4.1",
                          sentence="≥ 8 of the top C above the 99.9 % quantile of the deflated density"), paper=C),
        _g_net("negative", "negative eigenvalues in the train Hessian",
               Rule.above("mass of the deflated train density below −3σ / Φ(−3)", 1.0, quote=Q_NEGATIVE, where="Sec. 4.1",
                          sentence="mass below −3σ_kernel > Φ(−3) = 0.135 %, the most that eigenvalues ≥ 0 "
                                   "smoothed by the kernel can put there (so a Ritz value, hence an eigenvalue, is < 0)"),
               paper="negative eigenvalues exist"),
        _g_net("magnitude", "a clear difference in magnitude between the train and the test Hessian",
               Rule.above("|log(λ1(test) / λ1(train))|", LOG2, quote=Q_MAGNITUDE, where="Sec. 4.1",
                          sentence="λ1 of the test and the train Hessian differ by more than a factor 2 (either way)"),
               paper="a clear difference"),
    ]


def fig04_specs() -> list[ClaimSpec]:
    out = []
    for split in SPLITS:
        out += [
            _g_net(f"g-outliers-{split}", f"{split}: the C outliers of the Hessian are those of G",
                   Rule.below("max_i≤C |λ_i(G) / λ_i(Hess) − 1|", 0.2, quote=Q_G_OUTLIERS, where="Sec. 5.1")),
            _g_net(f"e-no-outliers-{split}", f"{split}: knocking out G eliminates the outliers (E has none)",
                   Rule.below("max |λ(E)| / λ_C(Hess)", 1.0, quote=Q_G_OUTLIERS, where="Sec. 5.1")),
            _g_net(f"bulk-shrinks-{split}", f"{split}: knocking out E shrinks the bulk significantly",
                   Rule.below("RMS(G ⊖ top C) / RMS(Hess ⊖ top C)", 0.5, quote=Q_SHRINKS, where="Sec. 5.1",
                              sentence="root mean square eigenvalue of the deflated G below half that of the deflated "
                                       "Hessian (the null eigenvalues add nothing to it, unlike to a quantile width)")),
            _g_net(f"bulk-from-e-{split}", f"{split}: the bulk originates largely from E",
                   Rule.above("RMS(E) / RMS(G ⊖ top C)", 1.0, quote=Q_FROM_E, where="Sec. 5.1",
                              sentence="E's bulk carries more spectral energy (Σλ²) than G's deflated bulk")),
        ]
    return out


def fig05_specs() -> list[ClaimSpec]:
    return [
        _g_net("c-outliers", "G has C = 10 outliers",
               Rule.between("position of the largest log-gap among the top 2C eigenvalues of G", C - 0.5, C + 0.5,
                            quote=Q_FIM_OUTLIERS, where="Sec. 1.12", sentence="the largest log-gap among the top 2C is "
                            "after eigenvalue C"), paper=C),
        _g_net("class-removes", "G ⊖ G_class removes the C outliers",
               Rule.below("eigenvalues of G ⊖ G_class above √(λ_C λ_C+1) of G", 1.5, quote=Q_CLASS_KO, where="Sec. 6.1",
                          sentence="at most 1 eigenvalue of G ⊖ G_class above √(λ_C λ_C+1) of G")),
        _g_net("cross-removes", "G ⊖ G_cross removes the mini-bulk",
               Rule.below("log-density mass of G ⊖ G_cross / of G in the window of the exact G_cross eigenvalues", 0.5,
                          quote=Q_CROSS_KO, where="Sec. 6.1",
                          sentence="the knockout removes more than half the log-spectrum's mass where the G_cross "
                                   "eigenvalues lie")),
        _g_net("cross-side", "the G_cross group lies to the left of the main bulk of log(G)",
               Rule.below("median exact G_cross eigenvalue / mode of the log-density of G above log(10ε)", 1.0,
                          quote=Q_CROSS_KO, where="Sec. 6.1"), paper="left"),
        _g_net("same-no-effect", "G ⊖ G_(c=c') has no visible effect",
               Rule.below("max relative change of the top 40 eigenvalues after ⊖ G_(c=c')", 0.05, quote=Q_SAME_KO,
                          where="Sec. 6.1")),
    ]


def fig06_specs() -> list[ClaimSpec]:
    return [
        ClaimSpec("orange-yellow", "the top C of G align with the eigenvalues of G_class",
                  Rule.below("max |log(orange / yellow)| over the panels", LOG2, quote=Q_ORANGE, where="Sec. 6.2",
                             sentence="max |log(orange/yellow)| < log 2 in every panel"), ladder="epochs"),
        ClaimSpec("red-bulk", "the red points (G_within) lie in the main bulk of log(G)",
                  Rule.above("min over panels of the red median's depth inside the main bulk's 10–90 % log-interval", 0.0,
                             quote=Q_RED, where="Sec. 6.2",
                             sentence="in every panel the median red value lies inside the 10–90 % interval of the "
                                      "log-density above log(10ε)"), ladder="epochs"),
        ClaimSpec("separate", "training longer separates G_cross from G_within",
                  Rule.above("min over N of |green − red| at the last epoch − at the first", 0.0, quote=Q_SEPARATE,
                             where="Sec. 6.2", sentence="at every N the size of the green − red log gap grows from the "
                             "first to the last epoch count"), ladder="epochs"),
        ClaimSpec("merge", "more samples merge G_cross and G_within",
                  Rule.above("min over epochs of |green − red| at the smallest N − at the largest N", 0.0, quote=Q_MERGE,
                             where="Sec. 6.2", sentence="at every epoch count the size of the green − red log gap "
                             "shrinks from the smallest to the largest N"), ladder="training-set size"),
        ClaimSpec("class-within-steady", "the distance between G_class and G_within hardly changes",
                  Rule.below("range of (yellow − red) / range of |green − red| over the panels", 1.0, quote=Q_STEADY,
                             where="Sec. 6.2", sentence="the yellow − red log gap varies less over the grid than the "
                             "green − red gap does"), ladder="epochs"),
    ]


def fig14_specs() -> list[ClaimSpec]:
    return [_g_net("visible", "the outliers are visible without deflation",
                   Rule.above("top-C eigenvalues with a weighted peak of the undeflated density within 5 %", 4.5,
                              quote=Q_NO_DEFL, where="Sec. 4.1",
                              sentence="≥ 5 of the top C within 5 % of a local maximum of the undeflated density "
                                       "whose basin holds at least one eigenvalue's weight (χ²₁ 5 % quantile / p)"))]


def fig16_specs() -> list[ClaimSpec]:
    return [
        _g_net("symmetric", "the spectrum of the test E is symmetric about zero",
               Rule.below("|m+ − m−| / (m+ + m−), masses beyond ±3σ", 0.1, quote=Q_SYM, where="Fig. 16 caption")),
        _g_net("power-law", "the tails of E follow a power law (not another decaying law)",
               Rule.custom("R²(power law) − R²(exponential), worse side; R²(power law)",
                           "on both sides the power law (log φ linear in log|λ|) fits better than an exponential "
                           "(log φ linear in |λ|) over the same range, with R² > 0.9",
                           _power_law_test, _power_law_margin, quote=Q_FIT, where="Fig. 16 caption"),
               paper="R² 0.99"),
        _g_net("exponent", "the power-law exponent is the paper's −2.7",
               Rule.below("max over sides of |slope + 2.7|", 0.5, quote=Q_FIT, where="Fig. 16 caption",
                          sentence="the fitted slope lies within 0.5 of −2.7 on both sides"), paper=-2.7),
    ]


def fig17_specs() -> list[ClaimSpec]:
    return [_g_net("align", "the top eigenvalues align with the outliers of the undeflated density",
                   Rule.above("top-3 eigenvalues with a weighted undeflated-density peak within 5 %", 2.5, quote=Q_ALIGN,
                              where="Fig. 17 caption",
                              sentence="each of the top 3 within 5 % of a local maximum of the undeflated density whose "
                                       "basin holds at least one eigenvalue's weight (χ²₁ 5 % quantile / p)"))]


# ----------------------------------------------------------------------------- layer network pages

def fig02_specs() -> list[ClaimSpec]:
    return [
        _layer("kron-class", "g_c ≈ h_c ⊗ δ_c at the deepest layers",
               Rule.above("min mean cosine(g_c, δ_c h_cᵀ) at the last two linear layers", 0.9, quote=Q_KRON_C,
                          where="Sec. 7.12", sentence="mean cosine > 0.9 at the last two linear layers (the paper gives "
                          "no tolerance; 0.9 is the catalog's)")),
        _layer("kron-cross", "g_cc' ≈ h_c ⊗ δ_cc' at the deepest layers",
               Rule.above("min mean cosine(g_cc', δ_cc' h_cᵀ) at the last two linear layers", 0.9, quote=Q_KRON_CC,
                          where="Sec. 7.12", sentence="mean cosine > 0.9 at the last two linear layers (the paper gives "
                          "no tolerance; 0.9 is the catalog's)")),
    ]


def _per_dataset(make) -> list[ClaimSpec]:
    out: list[ClaimSpec] = []
    for ds in LAYER_DATASETS:
        out += make(ds, DATASET_NAMES[ds])
    return out


def fig07_specs() -> list[ClaimSpec]:
    return _per_dataset(lambda ds, name: [
        _layer(f"attribution-{ds}", f"{name}: the top C of H^l are removed by H^l ⦀ H^l_class, the bulk stays (last "
               "hidden layer)", Rule.below(RATIO_SHIFT, 0.2, quote=Q_H_ATTR, where="Sec. 7.5")),
        _layer(f"separation-depth-{ds}", f"{name}: the C outliers of H^l emerge from the bulk with depth",
               _trend_rule("λ_C/λ_C+1 of H^l", quote=Q_H_DEPTH, where="Sec. 7.5")),
        _layer(f"global-mean-{ds}", f"{name}: the largest outlier is attributable to the global mean h_G (last hidden "
               "layer)", Rule.above("log-shift of λ1 / of λ2 after H ⦀ h_G h_Gᵀ", 1.0, quote=Q_H_GLOBAL, where="Sec. 7.5")),
    ])


def fig08_specs() -> list[ClaimSpec]:
    return _per_dataset(lambda ds, name: [
        _layer(f"whitening-{ds}", f"{name}: the class means whiten with depth (λ2/λC of H_class falls)",
               Rule.below("λ2/λC of H_class: last / first hidden layer", 1.0, quote=Q_H_WHITE, where="Sec. 7.6")),
        _layer(f"separation-{ds}", f"{name}: the class eigenvalues leave the bulk with depth",
               _trend_rule("λC(H_class)/λC+1(H)", quote=Q_H_SEP, where="Sec. 7.6")),
    ])


def fig09_specs() -> list[ClaimSpec]:
    return _per_dataset(lambda ds, name: [
        _layer(f"class-{ds}", f"{name}: the C outliers of Δ^l are attributable to Δ_class (last hidden layer)",
               Rule.below(RATIO_SHIFT, 0.2, quote=Q_D_ATTR, where="Sec. 7.8")),
        _layer(f"cross-{ds}", f"{name}: a group of the top C² of Δ^l ⦀ Δ_class separates and is removed by the cross "
               "knockout (last hidden layer)",
               Rule.above("top-C² eigenvalues of Δ ⦀ Δ_class above λ1(Δ ⦀ (Δ_class + Δ_cross))", C - 0.5,
                          quote=Q_D_GROUP, where="Sec. 7.8",
                          sentence="at least C of the top C² lie above everything the cross knockout leaves (a group, "
                                   "one per class at least; the paper does not say how many)")),
    ])


def fig10_specs() -> list[ClaimSpec]:
    return _per_dataset(lambda ds, name: [
        _layer(f"emerge-{ds}", f"{name}: the C outliers of Δ^l emerge with depth",
               _trend_rule("λC(Δ_class)/λC+1(Δ)", quote=Q_D_SEP, where="Sec. 7.9")),
        _layer(f"orthogonal-{ds}", f"{name}: the error class means are closer to orthogonal at the top (λ2/λC of Δ_class)",
               Rule.below("λ2/λC of Δ_class: last / first hidden layer", 1.0, quote=Q_D_WHITE, where="Sec. 7.9")),
    ])


def fig11_specs() -> list[ClaimSpec]:
    return [
        _layer("cfac-better", "CFAC aligns with G^l better than KFAC (last hidden layer, MNIST)",
               Rule.below("CFAC error / KFAC error (mean |Δ log λ| over the top C²)", 1.0, quote=Q_CFAC_11,
                          where="Sec. 7.11")),
        _layer("cfac-outliers", "CFAC's C outliers align with those of G^l",
               Rule.below("max_i≤C |log λ_i(CFAC) / λ_i(G^l)|", math.log(1.5), quote=Q_CFAC_OUT, where="Fig. 11 caption",
                          sentence="the top C of CFAC within a factor 1.5 of those of G^l")),
    ]


def fig12_specs() -> list[ClaimSpec]:
    return _per_dataset(lambda ds, name: [
        _layer(f"cfac-deep-{ds}", f"{name}: CFAC closer to G^l than KFAC at the deepest layers",
               Rule.below("max over the last two layers of CFAC error / KFAC error", 1.0, quote=Q_CFAC_12,
                          where="Sec. 7.11"))])


def fig13_specs() -> list[ClaimSpec]:
    return _per_dataset(lambda ds, name: [
        _layer(f"attribution-{ds}", f"{name}: the top C singular values of W^l are attributable to W_class (last "
               "hidden layer)", Rule.below(RATIO_SHIFT, 0.2, quote=Q_W_ATTR, where="Sec. 7.13")),
        _layer(f"separation-depth-{ds}", f"{name}: the C outliers of W^l emerge from the bulk with depth",
               _trend_rule("σ_C/σ_C+1 of W^l", quote=Q_W_DEPTH, where="Sec. 7.13")),
    ])


def tab01_specs() -> list[ClaimSpec]:
    """One claim per attribution cell of Table 1 that is not an identity (``G ⊖ G_within`` has rank
    ≤ C² by construction: the page records it as a check). Each cell uses its page's rule."""
    f04, f05 = {s.claim_id: s for s in fig04_specs()}, {s.claim_id: s for s in fig05_specs()}
    f07, f09 = {s.claim_id: s for s in fig07_specs()}, {s.claim_id: s for s in fig09_specs()}
    f13 = {s.claim_id: s for s in fig13_specs()}
    return [
        _g_net("hessian-c-outliers", "Hessian: the C outliers are attributable to G", f04["g-outliers-train"].rule, "G"),
        _g_net("hessian-bulk", "Hessian: the bulk is attributable to E", f04["bulk-from-e-train"].rule, "E"),
        _g_net("gradients-c-outliers", "Gradients: the C outliers are attributable to G_class",
               f05["class-removes"].rule, "G_class"),
        _g_net("gradients-c2-outliers", "Gradients: the C² outliers (mini-bulk) are attributable to G_cross",
               f05["cross-removes"].rule, "G_cross"),
        _layer("features-c-outliers", "Features: the C outliers are attributable to H_class (MNIST)",
               f07["attribution-mnist"].rule, "H_class"),
        _layer("errors-c-outliers", "Errors: the C outliers are attributable to Δ_class (MNIST)",
               f09["class-mnist"].rule, "Δ_class"),
        _layer("errors-c2-outliers", "Errors: the C² outliers are attributable to Δ_cross (MNIST)",
               f09["cross-mnist"].rule, "Δ_cross"),
        _layer("weights-c-outliers", "Weights: the C outliers are attributable to W_class (MNIST)",
               f13["attribution-mnist"].rule, "W_class"),
    ]


# ----------------------------------------------------------------------------- synthetic pages

def fig15_specs() -> list[ClaimSpec]:
    ax = "Lanczos steps"
    return [
        ClaimSpec("wishart-outliers", "the three spikes are resolved by the density",
                  Rule.below("max relative distance of the nearest density peak to each exact outlier", 0.02,
                             quote=Q_LANCZOS, where="App. C.5"), paper=[6.25, 5.33, 4.5], ladder=ax),
        ClaimSpec("wishart-density", "the density tracks the exact histogram",
                  Rule.below("L1 distance density vs 100-bin histogram", 0.15, quote=Q_LANCZOS, where="App. C.5"),
                  ladder=ax),
        ClaimSpec("pareto-log", "the log-spectrum variant reproduces the Pareto log-eigenvalue distribution",
                  Rule.below("max |CDF(q-quantile) − q|, q = 0.1, 0.25, 0.5, 0.75, 0.9", 0.1, quote=Q_PARETO,
                             where="Fig. 15b caption"), ladder=ax),
    ]


_EXACT = "exact algebra: Lemma 8.1's E[G] against the closed form of Theorem 8.1; no setting limits it"


def thm81_specs() -> list[ClaimSpec]:
    return [
        ClaimSpec("formula", "Theorem 8.1's eigenvalues equal the spectrum of Lemma 8.1's E[G]",
                  Rule.below("max |Δλ| over the grid", 1e-10, quote=Q_THM, where="Theorem 8.1"), no_ladder=_EXACT),
        ClaimSpec("multiplicities", "C outliers, C(C−2) mini-bulk, (D−C)(C−1) bulk and D zeros",
                  Rule.above("fraction of grid configurations with exactly these multiplicities", 0.999,
                             quote=Q_THM_GROUPS, where="Sec. 8.2", sentence="every configuration of the grid"),
                  no_ladder=_EXACT),
        ClaimSpec("separation", "increasing s separates the C outliers from the mini-bulk",
                  Rule.above("min increase of λ_C/λ_C+1 of E[G] between consecutive s", 0.0, quote=Q_THM_SEP,
                             where="Sec. 8.2", sentence="λ_C/λ_C+1 of the numerical E[G] increases at every step of s "
                             "(C = 10, α = 0.05)"), no_ladder=_EXACT),
        ClaimSpec("monte-carlo", "a sampled G approaches E[G]: the top C at the outlier level",
                  Rule.below("max relative deviation of the top C from the outlier level", 0.05, quote=Q_LEMMA,
                             where="Lemma 8.1"), ladder="training-set size"),
    ]


CLAIMS: dict[str, list[ClaimSpec]] = {
    "papyan/decomp": [],
    "papyan/fig01": [],
    "papyan/fig02": fig02_specs(),
    "papyan/fig03": fig03_specs(),
    "papyan/fig04": fig04_specs(),
    "papyan/fig05": fig05_specs(),
    "papyan/fig06": fig06_specs(),
    "papyan/fig07": fig07_specs(),
    "papyan/fig08": fig08_specs(),
    "papyan/fig09": fig09_specs(),
    "papyan/fig10": fig10_specs(),
    "papyan/fig11": fig11_specs(),
    "papyan/fig12": fig12_specs(),
    "papyan/fig13": fig13_specs(),
    "papyan/fig14": fig14_specs(),
    "papyan/fig15": fig15_specs(),
    "papyan/fig16": fig16_specs(),
    "papyan/fig17": fig17_specs(),
    "papyan/tab01": tab01_specs(),
    "papyan/thm81": thm81_specs(),
}
