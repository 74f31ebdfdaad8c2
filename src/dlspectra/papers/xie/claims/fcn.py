"""The claims of Xie et al.'s fully connected and linear network pages, as data: depth (Fig. 4),
Avila (Fig. 13), width (Fig. 18), the FCN table (Table 8) and the linear networks (Table 10).

Every KS claim reads ``d_ks / d_c`` (below 1: the power law is accepted, the tables' rule), so a
ladder's margins are comparable across rungs. Ladders: a claim on a trained network climbs its
training epochs (the paper's MNIST recipe trains 50, ``ci`` 6); a claim that a *random* network's
spectrum is rejected has no training to climb: whether the KS test rejects its fixed spectrum is
the test's power, set by K alone (d_c = 1.36/√K), so it is re-read at smaller K of one spectrum
(and at larger K where that spectrum holds more: the 1Layer-FCN's top 1000 is the paper's K).
An ordering of a trained network against a random one (or against another trained one) climbs
the epochs of the trained networks.
"""

from __future__ import annotations

from dlspectra.book.rules import ClaimSpec, Rule

RATIO = "d_ks / d_c"
Q_DEPTH = ("Figure 4 shows that the power-law spectrum holds well in overparameterized models, but disappears in "
           "underparameterized models.")
Q_RANDOM = ("Our KS test results reject the power-law hypothesis for random neural networks and do not reject the "
            "power-law hypothesis for well-trained neural networks.")
Q_AVILA = ("It shows that the power-law spectrum of neural networks may also generally exist in non-convolution "
           "neural networks trained on a non-image dataset.")
Q_WIDTH_SMALL = ("The spectrums are not power-law for neural networks with small width( $\\sim 10$ ), but gradually "
                 "become more power-law (more straight in the log-log plot) as the width increases.")
Q_TABLE10 = "- w/ BatchNorm w/ ReLu 0.122 0.0411 0.0127 0.0430 0.0430 0.0430 No Yes Yes"

WHY_K_RANDOM = ("a random network has no training to climb: its spectrum is fixed by the initialisation and the "
                "data, and whether the KS test rejects it is the test's power, which K alone sets (d_c = 1.36/√K)")
"""``why_k`` of the K re-read ladders of the random-network claims."""

# Table 8's rows, verbatim (the text's tabs squashed to spaces): the quote of each row's claim
TABLE8_ROWS = {
    ("avila",): "Avila 2Layer-FCN SGD 50 - 0.0683 0.176 Yes",
    ("depth", 1, "random"): "MNIST 1Layer-FCN Random 1000 - 0.185 0.0430 No",
    ("depth", 1, "sgd"): "MNIST 1Layer-FCN SGD 1000 - 0.241 0.0430 No",
    ("depth", 2, "random"): "MNIST 2Layer-FCN Random 1000 - 0.129 0.0430 No",
    ("depth", 2, "sgd"): "MNIST 2Layer-FCN SGD 1000 - 0.0112 0.0430 Yes",
    ("depth", 4, "random"): "MNIST 4Layer-FCN Random 1000 - 0.0628 0.0430 No",
    ("depth", 4, "sgd"): "MNIST 4Layer-FCN SGD 1000 - 0.0141 0.0430 Yes",
    **{("width", w): f"MNIST 2Layer-FCN SGD 1000 Width={w} {d} 0.0430 {v}"
       for w, d, v in ((10, "0.149", "No"), (20, "0.185", "No"), (30, "0.0656", "No"), (50, "0.0187", "Yes"),
                       (70, "0.0376", "Yes"), (100, "0.0112", "Yes"))},
}
WIDTHS = (10, 20, 30, 50, 70, 100)
DEPTHS = (1, 2, 4)


def ks_rule(accepted: bool, quote: str, where: str) -> Rule:
    """``d_ks / d_c < 1`` (the power law accepted) or ``> 1`` (rejected), quoting ``quote``."""
    if accepted:
        return Rule.below(RATIO, 1.0, quote=quote, where=where, sentence="d_ks / d_c < 1 (KS test accepts)")
    return Rule.above(RATIO, 1.0, quote=quote, where=where, sentence="d_ks / d_c > 1 (KS test rejects)")


def ordering_rule(further: str, closer: str, quote: str, where: str) -> Rule:
    """``d_ks(further) / d_ks(closer) > 1``: ``further`` is further from a power law."""
    return Rule.above(f"d_ks({further}) / d_ks({closer})", 1.0, quote=quote, where=where,
                      sentence=f"d_ks({further}) > d_ks({closer})")


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


def random_spec(cid: str, text: str) -> ClaimSpec:
    """A random network's spectrum is rejected (Sec. 2.3), re-read at smaller K when it is not."""
    return ClaimSpec(cid, text, ks_rule(False, Q_RANDOM, "Sec. 2.3"), ladder="K re-read")


def _fig04() -> list[ClaimSpec]:
    out = [ClaimSpec("1layer-trained-rejected", "trained 1Layer-FCN (softmax regression) is not a power law",
                     ks_rule(False, Q_DEPTH, "Sec. 4, item 2"), ladder="epochs")]
    for d in DEPTHS:
        if d > 1:
            out.append(ClaimSpec(f"{d}layer-trained-accepted", f"trained {d}Layer-FCN spectrum is a power law",
                                 ks_rule(True, Q_DEPTH, "Sec. 4, item 2"), ladder="epochs"))
        out.append(random_spec(f"{d}layer-random-rejected", f"random {d}Layer-FCN spectrum is not a power law"))
        if d > 1:
            out.append(ClaimSpec(f"{d}layer-ordering-random",
                                 f"{d}Layer-FCN: random further from a power law than trained",
                                 ordering_rule("random", "trained", Q_RANDOM, "Sec. 2.3"), ladder="epochs"))
    for d in DEPTHS[1:]:
        out.append(ClaimSpec(f"ordering-1-vs-{d}",
                             f"trained 1Layer-FCN further from a power law than trained {d}Layer-FCN",
                             ordering_rule("1Layer", f"{d}Layer", Q_DEPTH, "Sec. 4, item 2"), ladder="epochs"))
    return out


def _fig13() -> list[ClaimSpec]:
    return [ClaimSpec("trained-accepted", "trained 2Layer-FCN on Avila: power law (K = 50)",
                      ks_rule(True, Q_AVILA, "App. E"), ladder="epochs"),
            random_spec("random-rejected", "random 2Layer-FCN on Avila: not a power law (K = 50)"),
            ClaimSpec("contrast", "Avila 2Layer-FCN: at the paper's K = 50 the test accepts the trained and rejects "
                      "the random spectrum", contrast_rule(), ladder="K re-read")]


def _width(w: int) -> ClaimSpec:
    ok = w >= 50
    quote, where = (Q_WIDTH_SMALL, "Fig. 18 caption") if w == 10 else (TABLE8_ROWS[("width", w)], "Table 8")
    return ClaimSpec(f"width{w}-{'accepted' if ok else 'rejected'}",
                     f"2Layer-FCN of width {w}: {'power law' if ok else 'not a power law'}",
                     ks_rule(ok, quote, where), ladder="epochs")


def _fig18() -> list[ClaimSpec]:
    return [*(_width(w) for w in WIDTHS),
            ClaimSpec("ordering-narrowest-vs-widest", "the narrowest network is further from a power law than the widest",
                      ordering_rule("narrowest", "widest", Q_WIDTH_SMALL, "Fig. 18 caption"), ladder="epochs"),
            ClaimSpec("ordering-narrow-vs-wide", "narrow networks (w ≤ 30) further from a power law than wide ones (w ≥ 50)",
                      ordering_rule("w ≤ 30, mean", "w ≥ 50, mean", Q_WIDTH_SMALL, "Fig. 18 caption"), ladder="epochs")]


def table8_id(key: tuple) -> str:
    """The claim id of a Table 8 row (``avila-2layer-fcn-sgd``, ``mnist-1layer-fcn-random``, ``mnist-width10``)."""
    if key == ("avila",):
        return "avila-2layer-fcn-sgd"
    if key[0] == "depth":
        return f"mnist-{key[1]}layer-fcn-{key[2]}"
    return f"mnist-width{key[1]}"


def table8_label(key: tuple) -> str:
    """A Table 8 row in words (``"MNIST 1Layer-FCN Random"``, ``"MNIST 2Layer-FCN SGD, width 10"``)."""
    if key == ("avila",):
        return "Avila 2Layer-FCN SGD"
    if key[0] == "depth":
        return f"MNIST {key[1]}Layer-FCN {'Random' if key[2] == 'random' else 'SGD'}"
    return f"MNIST 2Layer-FCN SGD, width {key[1]}"


def _tab08() -> list[ClaimSpec]:
    out = []
    for key, row in TABLE8_ROWS.items():
        ok = row.endswith("Yes")
        random = key[-1] == "random"
        out.append(ClaimSpec(table8_id(key), f"{table8_label(key)}: power law {'accepted' if ok else 'rejected'}",
                             ks_rule(ok, row, "Table 8"), ladder="K re-read" if random else "epochs"))
    out += [ClaimSpec(f"ordering-1-vs-{d}", f"trained 1Layer-FCN further from a power law than trained {d}Layer-FCN",
                      ordering_rule("1Layer", f"{d}Layer", Q_DEPTH, "Sec. 4, item 2"), ladder="epochs") for d in (2, 4)]
    out += [ClaimSpec(f"ordering-random-{d}", f"random {d}Layer-FCN further from a power law than trained",
                      ordering_rule("random", "trained", Q_RANDOM, "Sec. 2.3"), ladder="epochs") for d in (2, 4)]
    out.append(ClaimSpec("ordering-width", "the narrowest width further from a power law than the widest",
                         ordering_rule("narrowest", "widest", Q_WIDTH_SMALL, "Fig. 18 caption"), ladder="epochs"))
    return out


def _tab10() -> list[ClaimSpec]:
    return [ClaimSpec("plain-rejected", "plain 4-layer linear network: not a power law",
                      ks_rule(False, Q_TABLE10, "Table 10"), ladder="epochs"),
            ClaimSpec("batchnorm-accepted", "linear network with BatchNorm: power law",
                      ks_rule(True, Q_TABLE10, "Table 10"), ladder="epochs"),
            ClaimSpec("relu-accepted", "4-layer network with ReLU: power law",
                      ks_rule(True, Q_TABLE10, "Table 10"), ladder="epochs"),
            ClaimSpec("ordering-plain-vs-batchnorm", "plain linear network further from a power law than with BatchNorm",
                      ordering_rule("plain", "BatchNorm", Q_TABLE10, "Table 10"), ladder="epochs"),
            ClaimSpec("ordering-plain-vs-relu", "plain linear network further from a power law than with ReLU",
                      ordering_rule("plain", "ReLU", Q_TABLE10, "Table 10"), ladder="epochs")]


CLAIMS: dict[str, list[ClaimSpec]] = {
    "xie/fig04": _fig04(),
    "xie/fig13": _fig13(),
    "xie/fig18": _fig18(),
    "xie/tab08": _tab08(),
    "xie/tab10": _tab10(),
}
