"""The claims of the Baskerville pages, as data: ``CLAIMS = {"bask/<id>": [ClaimSpec, ...]}``.

Every claim's :class:`~dlspectra.book.rules.Rule` quotes the sentence of the paper it encodes
(verbatim; ``tests/test_claims_registry.py`` checks each quote against the paper's text) and was
written from that sentence before its numbers were seen:

* **GOE against Poisson** (spacing ratios): no band of our own. ``<r~>`` with its 95 % circular
  block-bootstrap interval (:func:`dlspectra.rmt.r_tilde_bootstrap`) is decided by
  :meth:`Rule.nearer`: nearer GOE's 0.5307 than Poisson's 0.3863 with the interval excluding
  Poisson holds; nearer Poisson with the interval excluding GOE fails; else inconclusive.
* **"no discernible difference"** (train/test, batch/full data, trained/untrained, the GP panels):
  decided from intervals, not from a spread threshold: the difference of the two most different
  conditions, with a Bonferroni interval over all pairs (each estimate's bootstrap interval read as
  ±1.96 standard errors), holds while that interval contains 0 and fails when it excludes 0.
* **Wigner spacings**: KS(Wigner) below the KS of a GOE control unfolded the same way (+ 0.02, at
  least 0.05) and below KS(Poisson) (the rule of :mod:`.analysis`); on the trained and untrained
  logistic pages (Figs. A.10, A.12) and on Fig. 9 only the numerically non-zero eigenvalues
  (``|lambda| > P eps max|lambda|``) are read: spectra that are mostly round-off must not pass.
* **Not semicircular**: the KS distance of the pooled density to the moment-matched semicircle
  above five times that of one GOE sample of the same size (our factor; the paper gives none).

Identities that hold by construction (the 2x2 GOE surmise, the zero padding of Fig. 5(d), the
rank of G, the surmise's mass below 10, the positive semi-definite logistic Hessian, the loss drop
of training) are not claims: the pages record them with
:meth:`~dlspectra.book.results.ClaimRecorder.identity`.

Ladder axes: batch-spectrum claims climb the **number of batch spectra** (subsets of the page's
batches, the paper's 157 as the top rung, ``not run: scale``); full-data claims the **Hessian
samples** (images in the full-data Hessian; the paper's whole split); the GP claims the **Hessian
samples** per panel (the paper's 100 is the page's own).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from scipy import stats as _st

from dlspectra import rmt
from dlspectra.book.rules import ClaimSpec, Estimate, Rule

GOE, POISSON = rmt.GOE_MEAN_R_TILDE, rmt.POISSON_MEAN_R_TILDE
Z95 = 1.959963984540054

# ----------------------------------------------------------------------------- quotes

Q_AGREE = "We observe a striking level of agreement between the observed spectra and the GOE."
Q_NO_DIFF = ("There was no discernible difference between the train and test conditions, nor between batch and full "
             "dataset conditions, nor between trained and untrained models.")
Q_CUTOFF_FITS = "Imposing a lower cut-off of 10<sup>-20</sup> in magnitude is sufficient to obtain agreement with Wigner."
Q_ZEROS_BAD = "The Wigner surmise is not a good fit to the observed unfolded spectra if the zero eigenvalues are retained."
Q_NOT_SEMI = ("neither multi-layer perceptron (MLP) nor Softmax Regression Hessians are described by the Wigner "
              "semicircle law which holds for GOE matrices")
Q_ANY_SIZE = ("it holds to high accuracy for the NNSD of GOE matrices of any size provided that the eigenvalues have "
              "been scaled to give mean spacing 1")
Q_GP_VARY = "Figure 5 shows varying levels of agreement with the semi-circle law, depending on the choice of k'(0), k''(0)."
Q_GP_GOE = "The histograms for spectral spacing ratios are indistinguishable and agree very well with the GOE"
Q_CNN = ("we see an obviously non-semicircular mean level density but the adjacent spacing ratios are nevertheless "
         "described by the universal GOE law")
Q_BIKE = ("Once again we see an obviously non-semicircular mean level density but the adjacent spacing ratios are "
          "nevertheless described by the universal GOE law.")
Q_GN = "universal GOE spacings, but the mean density is very much not semicircular."
Q_LENET_ACC = "The total validation accuracy of 69%"
Q_BIKE_MSE = "mean squared error) of the trained model is 0.044"
Q_FRAC = ("among 157 batch-wise spectra the proportion of eigenvalues below the cut-off was between 0.29 and 0.40")
Q_DEGEN = "the logistic MNIST models (trained and untrained) have a much greater level of degeneracy"
Q_EMBED = "the CIFAR10-Resnet34 spectra clearly have GOE spacings even without any cut-off"


# ----------------------------------------------------------------------------- rule builders


def goe_rule(quote: str, where: str, statistic: str = "⟨r̃⟩") -> Rule:
    """GOE against Poisson from the 95 % interval of ``<r~>`` (an :class:`Estimate`)."""
    return Rule.nearer(statistic, GOE, POISSON, quote=quote, where=where, target_name="GOE 0.5307",
                       alternative_name="Poisson 0.3863")


def r_estimate(est: rmt.RTildeEstimate) -> Estimate:
    """The :class:`Estimate` a GOE rule reads, from a bootstrap ``<r~>``."""
    return Estimate(float(est.mean), float(est.lo), float(est.hi), float(getattr(est, "level", 0.95)))


def _all_goe_test(v: Mapping[str, Estimate]) -> bool | None:
    rule = goe_rule("-", "-")
    out = [rule.holds(e) for e in v.values()]
    if any(o is False for o in out):
        return False
    return True if all(o is True for o in out) else None


def _all_goe_margin(v: Mapping[str, Estimate]) -> float:
    return min(abs(e.value - POISSON) - abs(e.value - GOE) for e in v.values())


def all_goe_rule(quote: str, where: str) -> Rule:
    """Every panel's ``<r~>`` (a dict of :class:`Estimate`) GOE against Poisson, as :func:`goe_rule`."""
    return Rule.custom("⟨r̃⟩ of every panel", "every panel: ⟨r̃⟩ nearer GOE 0.5307 than Poisson 0.3863, its interval "
                       "excluding Poisson (fails if one panel is nearer Poisson with GOE excluded)",
                       _all_goe_test, _all_goe_margin, quote=quote, where=where)


def largest_difference(estimates: Mapping[str, Estimate]) -> Estimate:
    """The difference of the two most different estimates, with a Bonferroni 95 % interval over all
    pairs (each bootstrap interval read as ±1.96 standard errors)."""
    items = list(estimates.items())
    if len(items) < 2:
        raise ValueError("a difference needs at least two estimates")
    hi_k, hi_e = max(items, key=lambda kv: kv[1].value)
    lo_k, lo_e = min(items, key=lambda kv: kv[1].value)
    se = math.hypot((hi_e.hi - hi_e.lo) / (2 * Z95), (lo_e.hi - lo_e.lo) / (2 * Z95))
    pairs = len(items) * (len(items) - 1) // 2
    z = float(_st.norm.ppf(1 - 0.025 / pairs))
    d = hi_e.value - lo_e.value
    return Estimate(d, d - z * se, d + z * se, 0.95)


def no_difference_rule(statistic: str, quote: str, where: str) -> Rule:
    """Holds while the interval of the largest difference contains 0, fails when it excludes 0."""
    return Rule.custom(statistic, f"{statistic}: its Bonferroni 95 % interval contains 0 (no difference "
                       "distinguishable from the sampling error)", lambda v: bool(v.lo <= 0.0),
                       lambda v: -float(v.lo), quote=quote, where=where)


def _wigner_test(v: dict) -> bool:
    return bool(v["ks_wigner"] < v["threshold"] and v["ks_wigner"] < v["ks_poisson"])


def _wigner_margin(v: dict) -> float:
    return float(min(v["threshold"] - v["ks_wigner"], v["ks_poisson"] - v["ks_wigner"]))


def wigner_rule(quote: str, where: str, what: str = "unfolded spacings") -> Rule:
    return Rule.custom(f"KS(Wigner) of the {what}", f"KS(Wigner) of the {what} < max(0.05, KS of a GOE control "
                       "unfolded the same way + 0.02) and < KS(Poisson)", _wigner_test, _wigner_margin,
                       quote=quote, where=where)


def not_wigner_rule(quote: str, where: str) -> Rule:
    return Rule.custom("KS(Wigner), no cut-off", "KS(Wigner) without the cut-off ≥ max(0.05, KS of a GOE control "
                       "+ 0.02)", lambda v: bool(v["ks_wigner"] >= v["threshold"]),
                       lambda v: float(v["ks_wigner"] - v["threshold"]), quote=quote, where=where)


def not_semicircle_rule(quote: str, where: str) -> Rule:
    return Rule.custom("KS to the moment-matched semicircle", "KS of the pooled density to the moment-matched "
                       "semicircle > 5 × that of one GOE sample of the same size (our factor)",
                       lambda v: bool(v["network"] > 5 * v["goe"]), lambda v: float(v["network"] / v["goe"] - 5),
                       quote=quote, where=where)


def two_sample_rule(quote: str, where: str, what: str) -> Rule:
    return Rule.above(f"two-sample KS p-value ({what})", 0.01, quote=quote, where=where,
                      sentence=f"two-sample KS test of the {what}: p > 0.01 (no difference detected)")


# ----------------------------------------------------------------------------- registry

S6, S61 = "Sec. 6", "Sec. 6.1"
BATCHES = "batch spectra"
NO_LADDER_PAPER_NET = ("the claim is about the paper's own network and training, which the ci network does not "
                       "reproduce: recorded not run at ci, decided on the paper's network at paper scale")

CLAIMS: dict[str, list[ClaimSpec]] = {
    "bask/fig01": [
        ClaimSpec("mlp-not-semicircle", "(b) the MLP Hessian density is not a semicircle",
                  not_semicircle_rule(Q_NOT_SEMI, "Sec. 3"), paper="not the semicircle", ladder=BATCHES),
        ClaimSpec("logistic-not-semicircle", "(c) the logistic-regression Hessian density is not a semicircle",
                  not_semicircle_rule(Q_NOT_SEMI, "Sec. 3"), paper="not the semicircle", ladder="Hessian samples"),
    ],
    "bask/fig02": [
        ClaimSpec("goe-large", "unfolded spacings of a large GOE follow the Wigner surmise",
                  Rule.custom("KS(Wigner), var(s)", "KS(Wigner) < 0.05 and 0.25 ≤ var(s) ≤ 0.31 (surmise 0.273)",
                              lambda v: bool(v["ks_wigner"] < 0.05 and 0.25 <= v["var_s"] <= 0.31),
                              lambda v: float(min(0.05 - v["ks_wigner"], v["var_s"] - 0.25, 0.31 - v["var_s"])),
                              quote=Q_ANY_SIZE, where="Sec. 3"),
                  paper="holds to high accuracy", ladder="Hessian samples"),
    ],
    "bask/fig03": [
        ClaimSpec("wigner", "unfolded spacings (cut-off 1e-20) follow the Wigner surmise",
                  wigner_rule(Q_CUTOFF_FITS, S6), paper="Wigner", ladder=BATCHES),
        ClaimSpec("goe-batch", "batch spacing ratios follow the GOE", goe_rule(Q_AGREE, S61), paper="GOE",
                  ladder=BATCHES),
        ClaimSpec("goe-full", "full-test-set spacing ratios follow the GOE", goe_rule(Q_AGREE, S61), paper="GOE",
                  ladder="Hessian samples"),
        ClaimSpec("goe-rank-aware", "ratios of the numerically non-zero batch eigenvalues follow the GOE",
                  goe_rule(Q_AGREE, S61, "⟨r̃⟩ of |λ| > P·eps·max|λ|"), paper="GOE", ladder=BATCHES),
    ],
    "bask/fig04": [
        ClaimSpec("wigner", "unfolded spacings (cut-off 1e-20) follow the Wigner surmise",
                  wigner_rule(Q_CUTOFF_FITS, S6), paper="Wigner", ladder=BATCHES),
        ClaimSpec("goe-ratios", "batch spacing ratios follow the GOE", goe_rule(Q_AGREE, S61), paper="GOE",
                  ladder=BATCHES),
        ClaimSpec("goe-rank-aware", "ratios of the numerically non-zero eigenvalues follow the GOE",
                  goe_rule(Q_AGREE, S61, "⟨r̃⟩ of |λ| > P·eps·max|λ|"), paper="GOE", ladder=BATCHES),
        ClaimSpec("frac-below-cutoff", "3-hidden-layer MLP (P = 20,060): fraction below the 1e-20 cut-off in 0.29–0.40",
                  Rule.custom("fraction |λ| ≤ 1e-20 per batch (float32)", "every batch's fraction in [0.29, 0.40]",
                              lambda v: bool(v["min"] >= 0.29 and v["max"] <= 0.40),
                              lambda v: float(min(v["min"] - 0.29, 0.40 - v["max"])),
                              quote=Q_FRAC, where="Sec. 6.1, footnote 10"),
                  paper={"range": [0.29, 0.40]}, no_ladder=NO_LADDER_PAPER_NET),
    ],
    "bask/fig05": [
        ClaimSpec("varying-agreement", "the panels agree with the semicircle to different degrees",
                  Rule.custom("KS to the semicircle: largest − smallest panel",
                              "the panels' spread of KS distances is larger than dealing their Hessian samples at "
                              "random gives (permutation p < 0.05); not reproduced when p ≥ 0.05",
                              lambda v: bool(v["p"] < 0.05), lambda v: float(0.05 - v["p"]),
                              quote=Q_GP_VARY, where=S61),
                  paper="varying levels of agreement", ladder="Hessian samples"),
    ],
    "bask/fig06": [
        ClaimSpec("all-goe", "every panel's spacing ratios agree with the GOE (options applied)",
                  all_goe_rule(Q_GP_GOE, S61), paper="agree very well with the GOE", ladder="Hessian samples"),
        ClaimSpec("indistinguishable", "the panels' spacing ratios are indistinguishable (options applied)",
                  no_difference_rule("largest ⟨r̃⟩ difference between panels", Q_GP_GOE, S61),
                  paper="indistinguishable", ladder="Hessian samples"),
    ],
    "bask/fig07": [
        ClaimSpec("non-semicircular", "the mean spectral density is obviously non-semicircular",
                  not_semicircle_rule(Q_CNN, "Sec. 6.2"), paper="non-semicircular", ladder=BATCHES),
        ClaimSpec("goe-ratios", "batch spacing ratios follow the GOE", goe_rule(Q_CNN, "Sec. 6.2"), paper="GOE",
                  ladder=BATCHES),
        ClaimSpec("goe-rank-aware", "ratios of the numerically non-zero eigenvalues follow the GOE",
                  goe_rule(Q_CNN, "Sec. 6.2", "⟨r̃⟩ of |λ| > P·eps·max|λ|"), paper="GOE", ladder=BATCHES),
        ClaimSpec("accuracy-69", "the small LeNet's test accuracy is 69 %",
                  Rule.between("test accuracy", 0.67, 0.71, quote=Q_LENET_ACC, where="Sec. 4"), paper=0.69,
                  no_ladder=NO_LADDER_PAPER_NET),
    ],
    "bask/fig08": [
        ClaimSpec("non-semicircular", "the mean spectral density is obviously non-semicircular",
                  not_semicircle_rule(Q_BIKE, "Sec. 6.3"), paper="non-semicircular", ladder=BATCHES),
        ClaimSpec("goe-ratios", "batch spacing ratios follow the GOE (13 input features)", goe_rule(Q_BIKE, "Sec. 6.3"),
                  paper="GOE", ladder=BATCHES),
        ClaimSpec("goe-rank-aware", "ratios of the numerically non-zero eigenvalues follow the GOE",
                  goe_rule(Q_BIKE, "Sec. 6.3", "⟨r̃⟩ of |λ| > P·eps·max|λ|"), paper="GOE", ladder=BATCHES),
        ClaimSpec("test-mse", "the Bike MLP's test MSE is 0.044",
                  Rule.between("test MSE", 0.034, 0.054, quote=Q_BIKE_MSE, where="Sec. 4"), paper=0.044,
                  no_ladder=NO_LADDER_PAPER_NET),
    ],
    "bask/fig09": [
        ClaimSpec("non-semicircular", "the mean density of G is very much not semicircular",
                  not_semicircle_rule(Q_GN, "Sec. 6.4"), paper="not semicircular", ladder=BATCHES),
        ClaimSpec("goe", "spacing ratios of G's numerically non-zero eigenvalues (≤ 64 per batch) follow the GOE",
                  goe_rule(Q_GN, "Sec. 6.4", "⟨r̃⟩ of the non-zero eigenvalues of G"), paper="GOE", ladder=BATCHES),
    ],
}

def _spacing_page(untrained: bool) -> list[ClaimSpec]:
    where = "Sec. 6.1 (Fig. A.12)" if untrained else "Sec. 6.1 (Fig. A.10)"
    out = [ClaimSpec(f"wigner-{split}", f"unfolded spacings ({split} batches, numerically non-zero eigenvalues) "
                     "follow the Wigner surmise", wigner_rule(Q_CUTOFF_FITS, S6, "non-zero unfolded spacings"),
                     paper="Wigner", ladder=BATCHES) for split in ("train", "test")]
    out.append(ClaimSpec("train-test", "no discernible difference between train and test spacings (non-zero part)",
                         two_sample_rule(Q_NO_DIFF, where, "train vs test non-zero spacings"), paper="no difference",
                         ladder=BATCHES))
    if untrained:
        out.append(ClaimSpec("trained-vs-untrained", "no discernible difference between trained and untrained "
                             "spacings (test, non-zero part)",
                             two_sample_rule(Q_NO_DIFF, where, "untrained vs trained non-zero test spacings"),
                             paper="no difference", ladder=BATCHES))
    out.append(ClaimSpec("goe-rank-aware", "ratios of the numerically non-zero eigenvalues (test) follow the GOE",
                         goe_rule(Q_AGREE, S61, "⟨r̃⟩ of |λ| > P·eps·max|λ|"), paper="GOE", ladder=BATCHES))
    return out


def _ratio_page(untrained: bool) -> list[ClaimSpec]:
    out = []
    for k in ("bs64 train", "bs64 test", "full train", "full test"):
        out.append(ClaimSpec("goe-" + k.replace(" ", "-"), f"spacing ratios ({k}) follow the GOE", goe_rule(Q_AGREE, S61),
                             paper="GOE", ladder=BATCHES if k.startswith("bs64") else "Hessian samples"))
    out.append(ClaimSpec("no-condition-effect", "no train/test or batch/full-data difference in ⟨r̃⟩",
                         no_difference_rule("largest ⟨r̃⟩ difference between the four conditions", Q_NO_DIFF, S61),
                         paper="no discernible difference", ladder="Hessian samples"))
    out.append(ClaimSpec("goe-rank-aware-full-train", "ratios of the numerically non-zero eigenvalues of the full "
                         "training Hessian follow the GOE", goe_rule(Q_AGREE, S61, "⟨r̃⟩ of |λ| > P·eps·max|λ|"),
                         paper="GOE", ladder="Hessian samples"))
    if untrained:
        out.append(ClaimSpec("trained-vs-untrained", "untrained ⟨r̃⟩ matches the trained one (bs64 test)",
                             no_difference_rule("⟨r̃⟩ untrained − trained (bs64 test)", Q_NO_DIFF, S61),
                             paper="no discernible difference", ladder=BATCHES))
    return out


CLAIMS["bask/figA10"] = _spacing_page(False)
CLAIMS["bask/figA11"] = _ratio_page(False)
CLAIMS["bask/figA12"] = _spacing_page(True)
CLAIMS["bask/figA13"] = _ratio_page(True)
CLAIMS["bask/figA14"] = [
    *[ClaimSpec(f"{cid}-needs-cutoff", f"{label}: without the cut-off the spacings do not fit Wigner",
                not_wigner_rule(Q_ZEROS_BAD, S6), paper="not a good fit", ladder=BATCHES)
      for cid, label in (("logistic", "MNIST trained"), ("logistic-init", "MNIST untrained"))],
    *[ClaimSpec(f"{cid}-cutoff-fits", f"{label}: with the 1e-20 cut-off the spacings fit Wigner",
                wigner_rule(Q_CUTOFF_FITS, S6), paper="agreement with Wigner", ladder=BATCHES)
      for cid, label in (("logistic", "MNIST trained"), ("logistic-init", "MNIST untrained"))],
    ClaimSpec("embed-no-cutoff-fits", "CNN-embedded CIFAR-10: GOE spacings even without a cut-off",
              wigner_rule(Q_EMBED, "App. A"), paper="GOE spacings", ladder=BATCHES),
    ClaimSpec("more-degenerate", "logistic MNIST has much greater degeneracy than the embedded CIFAR-10",
              Rule.custom("fraction |λ| ≤ 1e-20", "fraction |λ| ≤ 1e-20: MNIST > 2 × embeddings and > 0.05",
                          lambda v: bool(v["mnist"] > 2 * v["embed"] and v["mnist"] > 0.05),
                          lambda v: float(min(v["mnist"] - 2 * v["embed"], v["mnist"] - 0.05)),
                          quote=Q_DEGEN, where="App. A"), paper="much greater degeneracy", ladder=BATCHES),
]
