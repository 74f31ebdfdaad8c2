"""The claims of Xie et al.'s CIFAR pages, as data: ResNet18 on CIFAR-10/100 (Fig. 14, Fig. 19,
Table 9) and LeNet on CIFAR-10/100 across optimizers (Fig. 15, Fig. 17, Table 7).

Every KS claim reads ``d_ks / d_c`` (below 1: the power law accepted, the tables' rule). A rank
correlation "closely correlates" is decided from its 95 % interval (Fisher's z with Fieller's
variance for Spearman's ρ): it holds when the interval lies above 0, fails when it lies below,
and is inconclusive while it straddles 0.

Ladders: a claim on trained networks climbs the Hessian sample size (``ci``: the first 256
training images for LeNet, 32 for ResNet18; the paper: the training set), the rungs below ``ci``
computed when a claim needs them. A claim that a random LeNet's spectrum is rejected is re-read at
smaller K (the test's power is set by K alone: ``ci`` tests K = 50, the paper K = 1000). The random
ResNet18 is tested at the paper's own K = 50, so K cannot be what limits it: it climbs the Hessian
sample size too.
"""

from __future__ import annotations

from dlspectra.book.rules import ClaimSpec, Rule
from dlspectra.papers.xie.claims.fcn import Q_RANDOM, WHY_K_RANDOM, ks_rule, ordering_rule

NAMES = {"sgd": "SGD", "vanilla-sgd": "Vanilla SGD", "adam": "Adam", "amsgrad": "AMSGrad", "adabound": "AdaBound",
         "yogi": "Yogi", "radam": "RAdam", "adai": "Adai", "pnm": "PNM", "lookahead": "Lookahead",
         "diffgrad": "DiffGrad"}
"""The paper's names of the optimizers (Tables 6, 7 and 9)."""
OPTIMIZERS = tuple(NAMES)

# Table 7 (LeNet, K = 1000) and Table 9 (ResNet18, K = 50): each row as printed, up to its verdict
TABLE7_ROWS = {
    ("cifar10", "random"): "CIFAR-10 LeNet Random 1000 - 0.0663 0.0430 No",
    ("cifar10", "sgd"): "CIFAR-10 LeNet SGD 1000 - 0.0279 0.0430 Yes",
    ("cifar10", "vanilla-sgd"): "CIFAR-10 LeNet Vanilla SGD 1000 - 0.0276 0.0430 Yes",
    ("cifar10", "adam"): "CIFAR-10 LeNet Adam 1000 - 0.0269 0.0430 Yes",
    ("cifar10", "amsgrad"): "CIFAR-10 LeNet AMSGrad 1000 - 0.0232 0.0430 Yes",
    ("cifar10", "adabound"): "CIFAR-10 LeNet AdaBound 1000 - 0.0297 0.0430 Yes",
    ("cifar10", "yogi"): "CIFAR-10 LeNet Yogi 1000 - 0.0184 0.0430 Yes",
    ("cifar10", "radam"): "CIFAR-10 LeNet RAdam 1000 - 0.0163 0.0430 Yes",
    ("cifar10", "adai"): "CIFAR-10 LeNet Adai 1000 - 0.0310 0.0430 Yes",
    ("cifar10", "pnm"): "CIFAR-10 LeNet PNM 1000 - 0.0347 0.0430 Yes",
    ("cifar10", "lookahead"): "CIFAR-10 LeNet Lookahead 1000 - 0.0358 0.0430 Yes",
    ("cifar10", "diffgrad"): "CIFAR-10 LeNet DiffGrad 1000 - 0.0303 0.0430 Yes",
    ("cifar100", "random"): "CIFAR-100 LeNet Random 1000 - 0.0944 0.0430 No",
    ("cifar100", "sgd"): "CIFAR-100 LeNet SGD 1000 - 0.0315 0.0430 Yes",
    ("cifar100", "vanilla-sgd"): "CIFAR-100 LeNet Vanilla SGD 1000 - 0.0379 0.0430 Yes",
    ("cifar100", "sgd, evaluated on CIFAR-10"): "CIFAR-100 LeNet SGD 1000 Evaluated on CIFAR-10 0.0306 0.0430 Yes",
}
TABLE7_S = ("CIFAR-10 LeNet SGD 1000 - 0.0279 0.0430 Yes $1.968 \\pm 0.031$ 1.033 "
            "CIFAR-10 LeNet Vanilla SGD 1000 - 0.0276 0.0430 Yes $1.935 \\pm 0.030$ 1.069 "
            "CIFAR-10 LeNet Adam 1000 - 0.0269 0.0430 Yes $1.806 \\pm 0.025$ 1.241")
"""Table 7's SGD, Vanilla SGD and Adam rows (with β̂ ± σ and ŝ), as printed: ŝ(SGD) 1.033 < ŝ(Adam) 1.241."""
TABLE7_S_ALL = (TABLE7_S + " CIFAR-10 LeNet AMSGrad 1000 - 0.0232 0.0430 Yes $1.786 \\pm 0.025$ 1.271 "
                "CIFAR-10 LeNet AdaBound 1000 - 0.0297 0.0430 Yes $1.901 \\pm 0.028$ 1.110 "
                "CIFAR-10 LeNet Yogi 1000 - 0.0184 0.0430 Yes $1.806 \\pm 0.025$ 1.241 "
                "CIFAR-10 LeNet RAdam 1000 - 0.0163 0.0430 Yes $1.733 \\pm 0.023$ 1.363 "
                "CIFAR-10 LeNet Adai 1000 - 0.0310 0.0430 Yes $1.918 \\pm 0.029$ 1.090 "
                "CIFAR-10 LeNet PNM 1000 - 0.0347 0.0430 Yes $1.911 \\pm 0.029$ 1.098 "
                "CIFAR-10 LeNet Lookahead 1000 - 0.0358 0.0430 Yes $1.964 \\pm 0.030$ 1.037 "
                "CIFAR-10 LeNet DiffGrad 1000 - 0.0303 0.0430 Yes $1.803\\pm0.024$ 1.236")
"""Table 7's eleven CIFAR-10 optimizer rows as printed: adaptive ŝ ≥ 1.236, SGD-like ŝ ≤ 1.069."""

TABLE9_ROWS = {
    ("cifar10", "random"): "CIFAR-10 ResNet18 Random 50 - 0.334 0.176 No",
    ("cifar10", "sgd"): "CIFAR-10 ResNet18 SGD 50 - 0.0803 0.176 Yes",
    ("cifar10", "vanilla-sgd"): "CIFAR-10 ResNet18 Vanilla SGD 50 - 0.0891 0.176 Yes",
    ("cifar10", "adam"): "CIFAR-10 ResNet18 Adam 50 - 0.0478 0.176 Yes",
    ("cifar10", "amsgrad"): "CIFAR-10 ResNet18 AMSGrad 50 - 0.0542 0.176 Yes",
    ("cifar10", "adabound"): "CIFAR-10 ResNet18 AdaBound 50 - 0.0588 0.176 Yes",
    ("cifar10", "yogi"): "CIFAR-10 ResNet18 Yogi 50 - 0.116 0.176 Yes",
    ("cifar10", "radam"): "CIFAR-10 ResNet18 RAdam 50 - 0.168 0.176 Yes",
    ("cifar10", "adai"): "CIFAR-10 ResNet18 Adai 50 - 0.103 0.176 Yes",
    ("cifar10", "pnm"): "CIFAR-10 ResNet18 PNM 50 _ 0.138 0.176 Yes",
    ("cifar10", "lookahead"): "CIFAR-10 ResNet18 Lookahead 50 _ 0.110 0.176 Yes",
    ("cifar10", "diffgrad"): "CIFAR-10 ResNet18 DiffGrad 50 - 0.068 0.176 Yes",
    ("cifar100", "random"): "CIFAR-100 ResNet18 Random 50 - 0.373 0.176 No",
    ("cifar100", "sgd"): "CIFAR-100 ResNet18 SGD 50 - 0.108 0.176 Yes",
}

Q_RESNET = "However, the KS test still supports to accept the power-law hypothesis."
Q_S_ONE = ("The empirical power-law spectrums suggest that the estimated $\\hat{\\beta}$ is close to 2 and the "
           "estimated $\\hat{s}$ is close to 1.")
Q_PHASE = "The sharp phase transition occurs in 1152 < B < 1280."
Q_MERGE = "However, it seems that Phase II and Phase III merge into one phase for ResNet18 on CIFAR-10."
Q_OPTIMIZERS = "The power-law spectrums hold across optimizers."
Q_PREDICTOR = ("the slope magnitude $\\hat{s}$ is an indicator of minima sharpness and a predictor of test "
               "performance")
Q_CORRELATES = ("The slope magnitude $\\hat{s}$ closely correlates with the largest Hessian eigenvalue and the "
                "Hessian trace.")

S_BAND = (0.7, 1.5)
"""ŝ "close to 1": the band holds every ŝ the paper reports for its image networks (0.770-1.363,
Tables 6-10; Avila's 1.656 is the one outside) and rounds to 1 within a factor 1.5."""


def s_band_rule(what: str) -> Rule:
    """Every ŝ of ``what`` in :data:`S_BAND`; reads ``(min ŝ, max ŝ)``; margin: the smaller distance inside."""
    lo, hi = S_BAND

    def test(v):
        a, b = float(v[0]), float(v[1])
        return None if a != a or b != b else (lo <= a and b <= hi)

    def margin(v):
        return min(float(v[0]) - lo, hi - float(v[1]))

    return Rule.custom(f"(min ŝ, max ŝ) of {what}", f"{lo:g} ≤ ŝ ≤ {hi:g} for {what}", test, margin,
                       quote=Q_S_ONE, where="Sec. 2.1")


def rho_rule(statistic: str, quote: str, where: str) -> Rule:
    """A positive correlation: its 95 % interval lies above 0."""
    return Rule.interval_above(statistic, 0.0, quote=quote, where=where,
                               sentence=f"{statistic}: 95 % interval above 0")


def _row(table: str, key: tuple) -> str:
    return (TABLE7_ROWS if table == "7" else TABLE9_ROWS)[key]


# ----------------------------------------------------------------------------- ResNet18 (Fig. 14, 19; Table 9)


def _fig14() -> list[ClaimSpec]:
    return [
        ClaimSpec("trained-accepted", "trained (SGD) ResNet18: top-50 spectrum is a power law",
                  ks_rule(True, Q_RESNET, "App. E"), ladder="Hessian samples"),
        ClaimSpec("random-rejected", "random ResNet18: top-50 spectrum is not a power law",
                  ks_rule(False, _row("9", ("cifar10", "random")), "Table 9"), ladder="Hessian samples"),
        ClaimSpec("ordering", "random spectrum further from a power law than the trained one",
                  ordering_rule("random", "SGD", Q_RANDOM, "Sec. 2.3"), ladder="Hessian samples"),
        ClaimSpec("s-band", "trained ResNet18 has ŝ close to 1", s_band_rule("the SGD ResNet18"),
                  ladder="Hessian samples"),
        ClaimSpec("all-optimizers-accepted", "every other optimizer's ResNet18 passes the KS test",
                  Rule.below("max d_ks / d_c over the other 10 optimizers", 1.0, quote=Q_RESNET, where="App. E"),
                  ladder="Hessian samples"),
    ]


def _fig19() -> list[ClaimSpec]:
    return [
        ClaimSpec("small-batch-accepted", "batch sizes ≤ 1152 (paper scale) give a power law",
                  Rule.below("max d_ks / d_c over the batches ≙ B ≤ 1152", 1.0, quote=Q_PHASE, where="Fig. 19 caption"),
                  ladder="Hessian samples"),
        ClaimSpec("large-batch-rejected", "batch sizes ≥ 1280 (paper scale) do not give a power law",
                  Rule.above("min d_ks / d_c over the batches ≙ B ≥ 1280", 1.0, quote=Q_PHASE, where="Fig. 19 caption"),
                  ladder="Hessian samples"),
        ClaimSpec("ordering", "the largest batch is further from a power law than the smallest",
                  ordering_rule("B_max", "B_min", Q_PHASE, "Fig. 19 caption"), ladder="Hessian samples"),
        ClaimSpec("large-batch-like-random",
                  "the largest-batch spectrum resembles the random network's (Phases II and III merge)",
                  Rule.above("|d_ks(B_max) − d_ks(B_min)| − |d_ks(B_max) − d_ks(random)|", 0.0, quote=Q_MERGE,
                             where="App. E", sentence="d_ks(B_max) nearer d_ks(random) than d_ks(B_min)"),
                  ladder="Hessian samples"),
    ]


def _tab09() -> list[ClaimSpec]:
    out = []
    for ds in ("cifar10", "cifar100"):
        out.append(ClaimSpec(f"{ds}-random-rejected", f"{ds}: random ResNet18 fails the KS test",
                             ks_rule(False, _row("9", (ds, "random")), "Table 9"), ladder="Hessian samples"))
        for opt in OPTIMIZERS if ds == "cifar10" else ("sgd",):
            out.append(ClaimSpec(f"{ds}-{opt}-accepted", f"{ds}: {NAMES[opt]} ResNet18 passes the KS test",
                                 ks_rule(True, _row("9", (ds, opt)), "Table 9"), ladder="Hessian samples"))
    out += [
        ClaimSpec("cifar10-ordering", "cifar10: random further from a power law than SGD",
                  ordering_rule("random", "SGD", Q_RANDOM, "Sec. 2.3"), ladder="Hessian samples"),
        ClaimSpec("cifar10-small-batch-accepted", "cifar10: batch sizes ≙ B ≤ 1152 pass the KS test",
                  Rule.below("max d_ks / d_c over the batches ≙ B ≤ 1152", 1.0, quote=Q_PHASE, where="Fig. 19 caption"),
                  ladder="Hessian samples"),
        ClaimSpec("cifar10-large-batch-rejected", "cifar10: batch sizes ≙ B ≥ 1280 fail the KS test",
                  Rule.above("min d_ks / d_c over the batches ≙ B ≥ 1280", 1.0, quote=Q_PHASE, where="Fig. 19 caption"),
                  ladder="Hessian samples"),
    ]
    return out


# ----------------------------------------------------------------------------- LeNet on CIFAR (Fig. 15, 17; Table 7)


def _fig15() -> list[ClaimSpec]:
    return [
        ClaimSpec("all-accepted", "every optimizer's LeNet spectrum is a power law",
                  Rule.below("max d_ks / d_c over the optimizers", 1.0, quote=Q_OPTIMIZERS, where="Fig. 15 caption"),
                  ladder="Hessian samples"),
        ClaimSpec("s-band", "ŝ is close to 1 for every optimizer", s_band_rule("every optimizer"),
                  ladder="Hessian samples"),
        ClaimSpec("sgd-below-adam", "SGD finds a smaller ŝ than Adam",
                  Rule.above("ŝ(Adam) − ŝ(SGD)", 0.0, quote=TABLE7_S, where="Table 7", sentence="ŝ(SGD) < ŝ(Adam)"),
                  ladder="Hessian samples"),
        ClaimSpec("sgd-like-below-adaptive", "SGD-like optimizers have smaller ŝ than adaptive ones",
                  Rule.above("min ŝ(Adam, AMSGrad, Yogi, RAdam, DiffGrad) − max ŝ(SGD, Vanilla SGD, Lookahead)", 0.0,
                             quote=TABLE7_S_ALL, where="Table 7",
                             sentence="max ŝ(SGD-like) < min ŝ(adaptive)"),
                  ladder="Hessian samples"),
        ClaimSpec("s-predicts-test-error", "larger ŝ goes with worse test performance",
                  rho_rule("Spearman ρ(ŝ, test error)", Q_PREDICTOR, "Fig. 15 caption"), ladder="Hessian samples"),
    ]


def _fig17() -> list[ClaimSpec]:
    return [
        ClaimSpec("rho-lambda-max", "ŝ correlates positively with λ_max across optimizers",
                  rho_rule("Spearman ρ(ŝ, λ_max)", Q_CORRELATES, "Fig. 17 caption"), ladder="Hessian samples"),
        ClaimSpec("rho-trace", "ŝ correlates positively with Tr(H) across optimizers",
                  rho_rule("Spearman ρ(ŝ, Tr H)", Q_CORRELATES, "Fig. 17 caption"), ladder="Hessian samples"),
    ]


def tab07_id(dataset: str, run: str) -> str:
    """The claim id of a Table 7 row (``cifar10-adam-accepted``, ``cifar100-random-rejected``, ...)."""
    name = run.replace(", ", "-").replace(" ", "-").lower()
    return f"{dataset}-{name}-{'rejected' if run == 'random' else 'accepted'}"


def _tab07() -> list[ClaimSpec]:
    out = []
    for (ds, run), row in TABLE7_ROWS.items():
        if run == "random":
            out.append(ClaimSpec(tab07_id(ds, run), f"{ds}: random LeNet fails the KS test",
                                 ks_rule(False, row, "Table 7"), ladder="K re-read"))
        else:
            name = NAMES.get(run, "SGD, evaluated on CIFAR-10")
            out.append(ClaimSpec(tab07_id(ds, run), f"{ds}: {name} LeNet passes the KS test",
                                 ks_rule(True, row, "Table 7"), ladder="Hessian samples"))
    out += [
        ClaimSpec("cifar10-ordering", "cifar10: random further from a power law than every trained LeNet",
                  ordering_rule("random", "max over the trained", Q_RANDOM, "Sec. 2.3"), ladder="Hessian samples"),
        ClaimSpec("cifar10-adaptive-larger-s", "cifar10: adaptive optimizers have larger ŝ than SGD-like ones",
                  Rule.above("min ŝ(Adam, AMSGrad, Yogi, RAdam, DiffGrad) − max ŝ(SGD, Vanilla SGD, Lookahead)", 0.0,
                             quote=TABLE7_S_ALL, where="Table 7", sentence="min ŝ(adaptive) > max ŝ(SGD-like)"),
                  ladder="Hessian samples"),
    ]
    return out


WHY_K_LENET_RANDOM = WHY_K_RANDOM + "; ci tests K = 50, the paper K = 1000"

CLAIMS: dict[str, list[ClaimSpec]] = {
    "xie/fig14": _fig14(),
    "xie/fig19": _fig19(),
    "xie/tab09": _tab09(),
    "xie/fig15": _fig15(),
    "xie/fig17": _fig17(),
    "xie/tab07": _tab07(),
}
