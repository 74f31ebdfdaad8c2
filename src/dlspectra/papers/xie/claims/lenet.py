"""The claims of Xie et al.'s LeNet pages on MNIST and the four data sets of Table 1, as data.

Pages: trained vs random (Fig. 1, Table 1), optimizers (Fig. 3, Fig. 16, Table 6), training-set
size (Fig. 5), batch size (Fig. 6, Table 3), label noise (Fig. 7), random labels (Fig. 21), power
iteration (Fig. 11), gradient-noise covariance (Fig. 20) and the KS critical values (Table 5).

Every KS claim reads ``d_ks / d_c`` (below 1: the power law is accepted, the rule of every table).
ŝ "close to 1" is one rule, :func:`dlspectra.papers.xie.claims.cifar.s_band_rule` (the band
:data:`~dlspectra.papers.xie.claims.cifar.S_BAND`), written once for every page.

Ladders: a claim on a trained network climbs its training epochs (the paper's MNIST recipe trains
50, ``ci`` 6); a claim that a *random* network's spectrum is rejected is re-read at smaller K (its
spectrum has no training to climb: whether the test rejects it is the test's power, set by K alone).

The trained-vs-random *contrast* (Sec. 2.3: the test rejects the random network's spectrum and does
not reject the trained one's) is one claim read at one K on both spectra: at K = 50-100 the random
LeNet's spectrum passes the lenient test too (MNIST: 0.055 against d_c = 0.136), so the contrast is
decided at the largest K whose top K converged in both spectra (``ci``: 300), and re-read at
smaller K, since K is what decides it.
"""

from __future__ import annotations

from dlspectra.book.rules import ClaimSpec, Rule
from dlspectra.papers.xie.claims.cifar import Q_S_ONE, s_band_rule
from dlspectra.papers.xie.claims.fcn import Q_RANDOM, ks_rule, ordering_rule, random_spec

FIG1_CAPTION = ("We may clearly observe that the power-law spectrums generally hold for well trained deep networks on "
                "various natural or artificial datasets, while do not hold for random neural networks.")
NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}
DATASETS = tuple(NAMES)


def contrast_rule() -> Rule:
    """At one K, the trained spectrum accepted and the random one rejected; reads
    ``(d_ks/d_c trained, d_ks/d_c random)``; margin ``min(1 − r_trained, r_random − 1)``."""
    def test(v):
        t, r = float(v[0]), float(v[1])
        return None if t != t or r != r else (t < 1.0 < r)

    def margin(v):
        return min(1.0 - float(v[0]), float(v[1]) - 1.0)

    return Rule.custom("(d_ks / d_c trained, d_ks / d_c random) at one K",
                       "at the same K: d_ks/d_c(trained) < 1 < d_ks/d_c(random)", test, margin,
                       quote=Q_RANDOM, where="Sec. 2.3")


def s_contrast_rule() -> Rule:
    """ŝ of the trained network nearer 1 than the random network's: ``|ŝ_random − 1| − |ŝ_trained − 1| > 0``."""
    return Rule.above("|ŝ(random) − 1| − |ŝ(trained) − 1|", 0.0, quote=Q_S_ONE, where="Sec. 2.1",
                      sentence="ŝ(trained) nearer 1 than ŝ(random)")


def _trained_random(ds: str, *, contrast_k: bool) -> list[ClaimSpec]:
    name = NAMES[ds]
    out = [
        ClaimSpec(f"{ds}-trained-accepted", f"{name}: trained LeNet spectrum is a power law",
                  ks_rule(True, Q_RANDOM, "Sec. 2.3"), paper="accepted", ladder="epochs"),
        random_spec(f"{ds}-random-rejected", f"{name}: random LeNet spectrum is not a power law"),
        ClaimSpec(f"{ds}-ordering", f"{name}: random spectrum further from a power law than trained",
                  ordering_rule("random", "trained", FIG1_CAPTION, "Fig. 1 caption"), ladder="epochs"),
        ClaimSpec(f"{ds}-s-band", f"{name}: trained LeNet has ŝ close to 1", s_band_rule(f"the trained {name} LeNet"),
                  ladder="epochs"),
        ClaimSpec(f"{ds}-s-contrast", f"{name}: the trained ŝ is nearer 1 than the random one",
                  s_contrast_rule(), ladder="epochs"),
    ]
    if contrast_k:
        out.append(ClaimSpec(f"{ds}-contrast", f"{name}: at one K the test accepts the trained and rejects the random "
                             "spectrum (the largest K converged in both)", contrast_rule(), ladder="K re-read"))
    return out


def _fig01() -> list[ClaimSpec]:
    return [s for ds in DATASETS for s in _trained_random(ds, contrast_k=ds == "mnist")]


CLAIMS: dict[str, list[ClaimSpec]] = {
    "xie/fig01": _fig01(),
    "xie/tab01": _fig01(),
}


# ----------------------------------------------------------------------------- quotes of the other pages

def _t6(*rows: str) -> str:
    """Consecutive rows of Table 6 as the text prints them (whitespace squashed by the registry test)."""
    return " ".join(rows)


T6_OPT = {  # Table 6, the optimizer rows (as printed, up to ŝ)
    "sgd": "MNIST LeNet SGD 1000 - 0.00900 0.0430 Yes $1.991 \\pm 0.031$ 1.009",
    "vanilla-sgd": "MNIST LeNet Vanilla SGD 1000 - 0.0103 0.0430 Yes $1.914 \\pm 0.029$ 1.094",
    "adam": "MNIST LeNet Adam 1000 - 0.00962 0.0430 Yes $1.873 \\pm 0.028$ 1.145",
    "amsgrad": "MNIST LeNet AMSGrad 1000 - 0.00987 0.0430 Yes $1.845 \\pm 0.027$ 1.184",
    "adabound": "MNIST LeNet AdaBound 1000 - 0.00889 0.0430 Yes $1.904 \\pm 0.029$ 1.106",
    "yogi": "MNIST LeNet Yogi 1000 - 0.00966 0.0430 Yes $1.834 \\pm 0.026$ 1.198",
    "radam": "MNIST LeNet RAdam 1000 - 0.0164 0.0430 Yes $1.889 \\pm 0.028$ 1.125",
    "adai": "MNIST LeNet Adai 1000 - 0.0101 0.0430 Yes $1.892 \\pm 0.028$ 1.122",
    "pnm": "MNIST LeNet PNM 1000 - 0.0127 0.0430 Yes $1.846 \\pm 0.027$ 1.181",
    "lookahead": "MNIST LeNet Lookahead 1000 - 0.0101 0.0430 Yes $1.982 \\pm 0.031$ 1.018",
    "diffgrad": "MNIST LeNet DiffGrad 1000 - 0.0105 0.0430 Yes $1.834\\pm0.026$ 1.198",
}
T6_OPT_ALL = _t6(*T6_OPT.values())
T6_SIZE = {600: "MNIST LeNet SGD 1000 N = 600 0.205 0.0430 No",
           800: "MNIST LeNet SGD 1000 N = 800 0.0399 0.0430 Yes $1.995 \\pm 0.031$ 1.004",
           1000: "MNIST LeNet SGD 1000 N = 1000 0.0198 0.0430 Yes $2.128 \\pm 0.036$ 0.886",
           3000: "MNIST LeNet SGD 1000 N = 3000 0.0159 0.0430 Yes $2.091 \\pm 0.034$ 0.917",
           6000: "MNIST LeNet SGD 1000 N = 6000 0.0151 0.0430 Yes $2.001 \\pm 0.032$ 0.999"}
T6_SIZE_ALL = _t6(*T6_SIZE.values())
T6_NOISE = {0.4: "LeNet SGD 1000 40% Label Noise 0.180 0.0430 No", 0.8: "LeNet SGD 1000 80% Label Noise 0.157 0.0430 No"}
T6_SHUFFLED = "MNIST LeNet SGD 1000 Random Labels 0.0482 0.0430 No"
T6_FULL_BATCH = "MNIST LeNet SGD 1000 B = 60000 0.0936 0.0430 No"

Q_OPT = "The power-law spectrums hold across optimizers."
Q_PREDICTOR = ("the slope magnitude $\\hat{s}$ is an indicator of minima sharpness and a predictor of test "
               "performance")
Q_SHARPNESS = ("A smaller $\\hat{s}$ highly correlates to a smaller largest eigenvalue and a smaller trace in Figure 16 "
               "of Appendix E.")
Q_SIZE = ("The model trained with very limited training data finds minima with the Hessian spectrum that have "
          "multiple sharp directions, similarly to underparameterized models.")
Q_NOISE = ("Figure 7 shows that overfitting label noise makes the Hessian spectrums less power-law on both the "
           "corrupted training dataset and the clean test dataset.")
Q_CLEAN = ("In contrast, in the absence of noisy labels, the power-law spectrums exist on both the training dataset "
           "and the test dataset.")
Q_OVERFIT = "As DNNs overfit noisy labels easily"
Q_OUTLIERS = "The number of top outliers obviously increases, because random labels make the dataset more complex."
Q_BULK = "we still observe the power-law spectrum after the dozens of top outliers."
Q_GAUSSIAN = ("(b) The spectrum of LeNet on Gaussian data with random shuffled labels is highly similar to that MNIST "
              "with random shuffled labels.")
Q_POWER = "The spectrum via Power Iteration Algorithm is highly consistent with the spectrum via Lanczos Algorithm."
Q_POWER_PL = ("It also shows that the power-law spectrum is caused by the properties of deep learning rather than the "
              "stochasticity of Lanczos Algorithm.")
Q_COV = "The power-law spectrum of gradient noise covariance exist in deep learning for various batch sizes."
Q_T5 = ("If the KS distance $d_{\\rm ks}$ is lower than a critical value, such as $\\frac{1.36}{\\sqrt{K}}$ , we would "
        "reject the null hypothesis and accept the power-law hypothesis at the $\\alpha=0.05$ significance level.")
Q_T5_TITLE = ("Table 5: The Table of Kolmogorov-Smirnov Test Critical Values (Significance Level), which was first "
              "reported in Massey Jr (1951).")
Q_T8_K50 = "Avila 2Layer-FCN SGD 50 - 0.0683 0.176 Yes"

HS = "Hessian samples"


def _fig03() -> list[ClaimSpec]:
    out = [ClaimSpec(f"{o}-accepted", f"{o}: the Hessian spectrum is a power law", ks_rule(True, Q_OPT, "Fig. 3 caption"),
                     paper="accepted (Table 6)", ladder=HS) for o in T6_OPT]
    out += [
        ClaimSpec("s-near-1", "every optimizer has ŝ close to 1", s_band_rule("every optimizer"), ladder=HS),
        ClaimSpec("sgd-below-adam", "SGD finds a smaller ŝ than Adam",
                  Rule.above("ŝ(Adam) − ŝ(SGD)", 0.0, quote=_t6(T6_OPT["sgd"], T6_OPT["vanilla-sgd"], T6_OPT["adam"]),
                             where="Table 6", sentence="ŝ(SGD) < ŝ(Adam)"), ladder=HS),
        ClaimSpec("sgd-family-smallest", "SGD and Lookahead have the two smallest ŝ of the optimizers",
                  Rule.above("min ŝ(others) − max ŝ(SGD, Lookahead)", 0.0, quote=T6_OPT_ALL, where="Table 6",
                             sentence="max ŝ(SGD, Lookahead) < min ŝ(the others)"), ladder=HS),
        ClaimSpec("s-predicts-error", "a smaller ŝ goes with a better test performance",
                  Rule.interval_above("Spearman ρ(ŝ, test error)", 0.0, quote=Q_PREDICTOR, where="Fig. 3 caption",
                                      sentence="Spearman ρ(ŝ, test error): 95 % interval above 0"), ladder=HS),
    ]
    return out


def _fig16() -> list[ClaimSpec]:
    return [ClaimSpec("s-vs-lambda-max", "a smaller ŝ goes with a smaller largest eigenvalue",
                      Rule.interval_above("Spearman ρ(ŝ, λ_max)", 0.0, quote=Q_SHARPNESS, where="Sec. 4, item 1",
                                          sentence="Spearman ρ(ŝ, λ_max): 95 % interval above 0"), ladder=HS),
            ClaimSpec("s-vs-trace", "a smaller ŝ goes with a smaller Hessian trace",
                      Rule.interval_above("Spearman ρ(ŝ, Tr H)", 0.0, quote=Q_SHARPNESS, where="Sec. 4, item 1",
                                          sentence="Spearman ρ(ŝ, Tr H): 95 % interval above 0"), ladder=HS)]


def _fig05() -> list[ClaimSpec]:
    out = [ClaimSpec("N600-rejected", "N = 600: the test-set spectrum is not a power law",
                     ks_rule(False, T6_SIZE[600], "Table 6"), ladder=HS)]
    out += [ClaimSpec(f"N{n}-accepted", f"N = {n}: the test-set spectrum is a power law",
                      ks_rule(True, T6_SIZE[n], "Table 6"), ladder=HS) for n in (800, 1000, 3000, 6000)]
    out += [
        ClaimSpec("dks-decreases", "d_ks decreases as N grows",
                  Rule.above("min over neighbouring N of d_ks(smaller N) − d_ks(larger N)", 0.0, quote=T6_SIZE_ALL,
                             where="Table 6", sentence="d_ks strictly decreasing in N"), ladder=HS),
        ClaimSpec("small-vs-large", "the smallest training set is further from a power law than the largest",
                  ordering_rule("smallest N", "largest N", T6_SIZE_ALL, "Table 6"), ladder=HS),
        ClaimSpec("sharp-directions", "the smallest training set has more sharp (outlier) directions than the largest",
                  Rule.above("outliers(smallest N) − outliers(largest N)", 0.0, quote=Q_SIZE, where="Sec. 4, item 3",
                             sentence="more eigenvalues > 2 × the fitted line at the smallest N"), ladder=HS),
    ]
    return out


def _fig07() -> list[ClaimSpec]:
    out = []
    for split in ("train", "test"):
        out.append(ClaimSpec(f"clean-accepted-{split}", f"clean labels: the {split}-set spectrum is a power law",
                             ks_rule(True, Q_CLEAN, "Sec. 4, item 5"), ladder=HS))
        for rate, row in T6_NOISE.items():
            r = f"{100 * rate:.0f}"
            if split == "train":
                out.append(ClaimSpec(f"noise{r}-rejected-train", f"{r} % label noise: the training-set spectrum is "
                                     "not a power law", ks_rule(False, row, "Table 6"), ladder=HS))
            out.append(ClaimSpec(f"noise{r}-vs-clean-{split}",
                                 f"{r} % label noise is further from a power law than clean labels ({split} set)",
                                 ordering_rule("noisy", "clean", Q_NOISE, "Sec. 4, item 5"), ladder=HS))
    for rate in T6_NOISE:
        r = f"{100 * rate:.0f}"
        out.append(ClaimSpec(f"noise{r}-overfits", f"premise: the network overfits the {r} % label noise",
                             Rule.above("training accuracy on the noisy labels − (1 − rate)", 0.0, quote=Q_OVERFIT,
                                        where="Sec. 4, item 5",
                                        sentence="training accuracy > the fraction of correct labels"),
                             ladder="training-set size"))
    return out


def _fig21() -> list[ClaimSpec]:
    out = [ClaimSpec("shuffled-rejected-train", "shuffled labels: the training-set spectrum (all K) is not a power law",
                     ks_rule(False, T6_SHUFFLED, "Table 6"), ladder=HS),
           ClaimSpec("shuffled-vs-clean-train", "shuffled labels further from a power law than clean (training set)",
                     ordering_rule("shuffled", "clean", T6_SHUFFLED, "Table 6"), ladder=HS)]
    for split in ("train", "test"):
        out += [
            ClaimSpec(f"shuffled-bulk-power-law-{split}",
                      f"shuffled labels: after the top outliers the {split}-set spectrum is a power law",
                      Rule.below("d_ks / d_c after the top outliers", 1.0, quote=Q_BULK, where="App. E",
                                 sentence="d_ks / d_c < 1 for λ_(drop+1) .. λ_K"), ladder=HS),
            ClaimSpec(f"more-outliers-{split}", f"shuffled labels: more top outliers than the clean model ({split} set)",
                      Rule.above("outliers(shuffled) − outliers(clean)", 0.0, quote=Q_OUTLIERS, where="App. E",
                                 sentence="more eigenvalues > 2 × the fitted line with shuffled labels"), ladder=HS),
        ]
    out += [
        ClaimSpec("gaussian-s-similar", "Gaussian inputs: ŝ nearer the shuffled-MNIST one than the clean one",
                  Rule.above("|ŝ(G) − ŝ(clean)| − |ŝ(G) − ŝ(shuffled)|", 0.0, quote=Q_GAUSSIAN, where="Fig. 21 caption",
                             sentence="|ŝ(Gaussian) − ŝ(shuffled)| < |ŝ(Gaussian) − ŝ(clean)|"), ladder=HS),
        ClaimSpec("gaussian-like-shuffled", "the Gaussian spectrum is closer to shuffled MNIST than to clean MNIST",
                  Rule.above("log-distance(G, clean) − log-distance(G, shuffled)", 0.0, quote=Q_GAUSSIAN,
                             where="Fig. 21 caption",
                             sentence="mean |log λ_k(G) − log λ_k(shuffled)| < mean |log λ_k(G) − log λ_k(clean)|"),
                  ladder=HS),
    ]
    return out


_NO_LADDER_SOLVER = ("two solvers on one fixed matrix: no training or sample setting moves their agreement; the "
                     "paper gives no setting of its power iteration to climb")


def _fig11() -> list[ClaimSpec]:
    return [
        ClaimSpec("median-agreement", "power iteration and Lanczos eigenvalues agree (typical rank)",
                  Rule.below("median_k |Δλ_k| / λ_k", 0.02, quote=Q_POWER, where="Fig. 11 caption",
                             sentence="median relative difference < 2 % (the paper gives no number)"),
                  no_ladder=_NO_LADDER_SOLVER),
        ClaimSpec("max-agreement", "power iteration and Lanczos eigenvalues agree (every rank)",
                  Rule.below("max_k |Δλ_k| / λ_k", 0.10, quote=Q_POWER, where="Fig. 11 caption",
                             sentence="max relative difference < 10 % (the paper gives no number)"),
                  no_ladder=_NO_LADDER_SOLVER),
        ClaimSpec("same-verdict", "the power law is no artefact of Lanczos: power iteration's top k gives the same KS "
                  "verdict", Rule.custom("(d_ks/d_c power, d_ks/d_c Lanczos) of the top k",
                                         "both d_ks/d_c on the same side of 1",
                                         lambda v: (float(v[0]) < 1) == (float(v[1]) < 1),
                                         lambda v: -abs(float(v[0]) - float(v[1])) + abs(float(v[1]) - 1.0),
                                         quote=Q_POWER_PL, where="Fig. 11 caption"),
                  no_ladder=_NO_LADDER_SOLVER),
    ]


def _fig20(batch_sizes=(128, 512, 1024)) -> list[ClaimSpec]:
    return [ClaimSpec(f"batch{b}-accepted", f"gradient-noise covariance, batch {b}: power-law spectrum",
                      ks_rule(True, Q_COV, "Fig. 20 caption"), ladder=HS) for b in batch_sizes]


def _tab05() -> list[ClaimSpec]:
    return [
        ClaimSpec("coefficients", "c(α) = 1.07, 1.14, 1.22, 1.36, 1.63 for α = 0.2 … 0.01",
                  Rule.below("max_α |c_paper − kolmogi(α)|", 0.005, quote=Q_T5_TITLE, where="Table 5",
                             sentence="every printed c(α) equals kolmogi(α) to its printed 2 decimals"),
                  no_ladder="printed constants against the Kolmogorov distribution: no setting moves them"),
        ClaimSpec("table-entries", "the K = 50 and K = 1000 rows equal c(α)/√K",
                  Rule.below("max |printed − c(α)/√K rounded to the printed precision|", 1e-9, quote=Q_T5,
                             where="Table 5 caption", sentence="each printed entry equals c(α)/√K"),
                  no_ladder="printed constants: no setting moves them"),
        ClaimSpec("k50-value-used", "Tables 8/9 use d_c = 0.176 for K = 50, as Table 5's rule would give",
                  Rule.below("|0.176 − 1.36/√50|", 5e-4, quote=Q_T8_K50, where="Table 8",
                             sentence="0.176 = 1.36/√50 to 3 decimals"),
                  no_ladder="two printed constants of the paper (0.176 and 1.36/√50 = 0.192): the paper contradicts "
                            "itself, no setting moves it"),
    ]


CLAIMS.update({
    "xie/fig03": _fig03(),
    "xie/fig16": _fig16(),
    "xie/fig05": _fig05(),
    "xie/fig07": _fig07(),
    "xie/fig21": _fig21(),
    "xie/fig11": _fig11(),
    "xie/fig20": _fig20(),
    "xie/tab05": _tab05(),
})
