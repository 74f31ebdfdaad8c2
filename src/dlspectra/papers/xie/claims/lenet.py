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
from dlspectra.papers.xie.claims.fcn import Q_RANDOM, contrast_rule, ks_rule, ordering_rule, random_spec

FIG1_CAPTION = ("We may clearly observe that the power-law spectrums generally hold for well trained deep networks on "
                "various natural or artificial datasets, while do not hold for random neural networks.")
NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}
DATASETS = tuple(NAMES)


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


# ----------------------------------------------------------------------------- batch size (Fig. 6, Table 3)

Q_PHASE1 = ("First, in Phase I ( $B \\le 640$ ), moderately large-batch (B = 512) training indeed finds sharper minima "
            "than small-batch (B=128) training, while the power-law spectrum still holds well.")
Q_PHASE1_S = "The minima sharpness measured by $\\hat{s}$ obviously increases with the batch size."
Q_PHASE1_LARGER = ("Power laws may guarantee that the top eigenvalues of large-batch trained networks are all larger "
                   "than the corresponding eigenvalues of small-batch trained networks.")
Q_PHASE2 = ("the spectrum of large-batch (B = 1024) trained networks does not exhibit power laws but is visually "
            "similar to the spectrum of underparameterized models in Figure 4.")
Q_TRANSITION = ("The phase transition from Phase I to Phase II occurs in a narrow range of 640 < B < 768, which is "
                "visually observable in Figure 6a and statistically observable in Table 3.")
Q_PHASE3 = ("extremely large-batch training (B = 60000) cannot optimize the training loss well or find the Hessian "
            "spectrum similarly to random initialized neural networks.")
PAPER_BATCHES = (128, 512, 640, 768, 1024, 8192, 16384, 32768, 50000, 60000)
ROW_BATCHES = tuple(sorted(set(PAPER_BATCHES) | {1536}))
"""The paper-equivalent batch sizes of Table 3's rows and of the ``ci`` grid (its baseline B = 128 stands for 1,536)."""


def batch_phase(b: int) -> str:
    return "III" if b >= 60000 else "I" if b <= 640 else "II"


def _order_pair_rule(statistic: str, sentence: str, test, margin, quote: str, where: str) -> Rule:
    return Rule.custom(statistic, sentence, test, margin, quote=quote, where=where)


def _single(v):
    import math
    a, b = float(v[0]), float(v[1])
    return a > 0 and math.isfinite(b) and a < b


def _located(v):
    a, b = float(v[0]), float(v[1])
    return _single(v) and a <= 640 and b >= 768


def _log_gap(v):
    import math
    a, b = float(v[0]), float(v[1])
    return math.log(b / a) if a > 0 and b > 0 and math.isfinite(b) else (-1.0 if a > 0 else float("nan"))


def _fig06() -> list[ClaimSpec]:
    return [
        ClaimSpec("phase1-accepted", "Phase I (B ≤ 640): the spectrum is a power law",
                  Rule.below("max d_ks / d_c over the Phase I runs", 1.0, quote=Q_PHASE1, where="Sec. 4, item 4"),
                  ladder=HS),
        ClaimSpec("phase1-s-increases", "Phase I: ŝ increases with the batch size",
                  Rule.above("min over neighbouring Phase I B of ŝ(larger) − ŝ(smaller)", 0.0, quote=Q_PHASE1_S,
                             where="Sec. 4, item 4", sentence="ŝ strictly increasing in B over Phase I"), ladder=HS),
        ClaimSpec("phase1-larger-eigenvalues",
                  "Phase I: the top eigenvalues of a larger-batch network are all larger than a smaller-batch one's",
                  Rule.above("min over neighbouring Phase I B of the fraction of ranks k ≤ 20 with λ_k(larger B) ≥ "
                             "λ_k(smaller B)", 0.999, quote=Q_PHASE1_LARGER, where="Sec. 4, item 4",
                             sentence="λ_k(larger B) ≥ λ_k(smaller B) for k = 1..20, every neighbouring pair"),
                  ladder=HS),
        ClaimSpec("phase2-rejected", "Phase II (768 ≤ B ≤ 50,000): the power law is rejected",
                  Rule.above("min d_ks / d_c over the Phase II runs", 1.0, quote=Q_PHASE2, where="Sec. 4, item 4"),
                  ladder=HS),
        ClaimSpec("transition", "the power law holds iff B ≤ 640 (transition between 640 and 768)",
                  Rule.below("number of runs whose KS verdict differs from their phase's", 1.0, quote=Q_TRANSITION,
                             where="Sec. 4, item 4", sentence="every run's verdict is its phase's (Yes in I, No in II, III)"),
                  ladder=HS),
        ClaimSpec("phase3-training-fails", "Phase III (full batch): the training loss is not optimised well",
                  Rule.custom("(final training loss full batch, B = 128 baseline)",
                              "training loss > 1.0 (chance ln 10 = 2.30) and > 5 × the baseline's",
                              lambda v: float(v[0]) > max(1.0, 5 * float(v[1])),
                              lambda v: float(v[0]) - max(1.0, 5 * float(v[1])), quote=Q_PHASE3, where="Sec. 4, item 4"),
                  ladder="epochs"),
        ClaimSpec("phase3-rejected", "Phase III (full batch): the power law is rejected",
                  ks_rule(False, T6_FULL_BATCH, "Table 6"), ladder=HS),
        ClaimSpec("phase3-like-random", "Phase III: the full-batch spectrum resembles the random initialisation",
                  Rule.above("log-distance(full, B = 128) − log-distance(full, random)", 0.0, quote=Q_PHASE3,
                             where="Sec. 4, item 4",
                             sentence="mean |log λ_k(full) − log λ_k(random)| < mean |log λ_k(full) − log λ_k(B = 128)|"),
                  ladder=HS),
    ]


def row_rule(b: int) -> Rule:
    """Table 3's row at the paper's batch size ``b`` (or the phase it falls in): accepted in Phase I, else rejected."""
    quote = {"I": Q_PHASE1, "II": Q_PHASE2, "III": T6_FULL_BATCH}[batch_phase(b)]
    where = "Table 6" if batch_phase(b) == "III" else "Sec. 4, item 4"
    return ks_rule(batch_phase(b) == "I", quote, where)


def _tab03() -> list[ClaimSpec]:
    out = [ClaimSpec(f"row-B{b}", f"paper-equivalent B = {b}: power law {'accepted' if batch_phase(b) == 'I' else 'rejected'}",
                     row_rule(b), ladder=HS) for b in ROW_BATCHES]
    out += [
        ClaimSpec("s-increases", "ŝ strictly increases with B over the accepted rows of Phase I",
                  Rule.above("min over neighbouring accepted Phase I rows of ŝ(larger B) − ŝ(smaller B)", 0.0,
                             quote=Q_PHASE1_S, where="Sec. 4, item 4", sentence="ŝ strictly increasing in B"), ladder=HS),
        ClaimSpec("single-transition", "one transition: every accepted batch size is below every rejected one",
                  Rule.custom("(largest accepted B, smallest rejected B), paper-equivalent",
                              "largest accepted B < smallest rejected B", _single, _log_gap,
                              quote=Q_TRANSITION, where="Sec. 4, item 4"), ladder=HS),
        ClaimSpec("transition-location", "the transition lies between paper-equivalent B = 640 and 768",
                  Rule.custom("(largest accepted B, smallest rejected B), paper-equivalent",
                              "one transition, largest accepted B ≤ 640 and smallest rejected B ≥ 768", _located,
                              lambda v: min(_log_gap(v), 640 - float(v[0]), float(v[1]) - 768),
                              quote=Q_TRANSITION, where="Sec. 4, item 4"), ladder=HS),
    ]
    return out


def table6_quote(row) -> str:
    """A Table 6 row as the text prints it, from its model column to its verdict (the data-set column
    is blank in some printed rows)."""
    return f"{row.model} {row.training} {row.k} {row.setting} {row.d_ks.text} {row.d_c.text} {'Yes' if row.power_law else 'No'}"


def table6_id(row) -> str:
    return f"{row.dataset}-{row.training}-{row.setting}".lower().replace(" ", "").replace("%", "pct").replace("=", "")


def _tab06() -> list[ClaimSpec]:
    from dlspectra.papers.xie.reference import reference

    out = []
    for r in reference("xie/tab06")["rows"]:
        random = r.key[0] == "random"
        out.append(ClaimSpec(table6_id(r), f"{r.dataset}, {r.training}, {r.setting}: power law "
                             f"{'accepted' if r.power_law else 'rejected'}", ks_rule(r.power_law, table6_quote(r), "Table 6"),
                             ladder="K re-read" if random else HS))
    return out


CLAIMS.update({"xie/fig06": _fig06(), "xie/tab03": _tab03(), "xie/tab06": _tab06()})
