"""The claims of Xie et al.'s eigengap pages (Fig. 2, Fig. 12, Table 2; Sec. 2.4, App. E), as data.

Per data set three claims on the gaps δ_k = λ_k − λ_{k+1} of the SGD LeNet's top-K spectrum:

* ``<ds>-gaps-accepted``: the gaps pass the KS test (d_ks/d_c < 1);
* ``<ds>-gap-slope-plus-one``: their slope exceeds the eigenvalues' by "∼ 1" (0.5 ≤ ŝ_gap − ŝ_eig ≤ 1.5,
  i.e. the difference rounds to 1; the paper's own values, 0.81 and 0.86, pass it);
* ``<ds>-gaps-steeper``: they decay faster than the eigenvalues (ŝ_gap − ŝ_eig > 0).

A claim that fails climbs the Hessian sample size (the paper's Hessian is over the training set,
``ci``'s over its first 256 images; rungs below ``ci`` are cheap): the same statistic of the gaps of
the same trained network's spectrum over 64, 128 and 256 images
(:func:`dlspectra.papers.xie.eigengaps.gap_ladders`).
"""

from __future__ import annotations

from dlspectra.book.rules import ClaimSpec, Rule

_WHERE = "Sec. 2.4"
Q_GAPS_MNIST = "We further empirically verified the approximate power-law distribution of the eigengaps in Figure 2."
Q_GAPS_FMNIST = ("It shows that the power-law eigengaps on Fashion-MNIST are highly consistent with the power-law "
                 "eigengaps on MNIST.")
Q_PLUS_ONE = "the power exponent of eigengaps is larger than the power exponent of eigenvalues by $\\sim 1$"
Q_STEEPER = "Eigengaps even decay faster than eigenvalues due to the larger magnitude of the power exponent."

GAPS_RATIO = "d_ks / d_c of the eigengaps"
SLOPE_DIFF = "ŝ_gap − ŝ_eig"

NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}


def gap_specs(dataset: str) -> list[ClaimSpec]:
    """The three eigengap claims of ``dataset`` (``"mnist"`` or ``"fashion-mnist"``)."""
    quote, where = (Q_GAPS_MNIST, _WHERE) if dataset == "mnist" else (Q_GAPS_FMNIST, "App. E")
    name = NAMES[dataset]
    return [
        ClaimSpec(f"{dataset}-gaps-accepted", f"{name}: the Hessian eigengaps of the trained LeNet are a power law",
                  Rule.below(GAPS_RATIO, 1.0, quote=quote, where=where,
                             sentence="d_ks / d_c of the gaps < 1 (KS test accepts)"),
                  ladder="Hessian samples"),
        ClaimSpec(f"{dataset}-gap-slope-plus-one", f"{name}: the eigengap slope exceeds the eigenvalue slope by about 1",
                  Rule.between(SLOPE_DIFF, 0.5, 1.5, quote=Q_PLUS_ONE, where=_WHERE,
                               sentence="0.5 ≤ ŝ_gap − ŝ_eig ≤ 1.5 (rounds to 1)"),
                  ladder="Hessian samples"),
        ClaimSpec(f"{dataset}-gaps-steeper", f"{name}: eigengaps decay faster than eigenvalues",
                  Rule.above(SLOPE_DIFF, 0.0, quote=Q_STEEPER, where=_WHERE, sentence="ŝ_gap − ŝ_eig > 0"),
                  ladder="Hessian samples"),
    ]


CLAIMS: dict[str, list[ClaimSpec]] = {
    "xie/fig02": gap_specs("mnist"),
    "xie/fig12": gap_specs("fashion-mnist"),
    "xie/tab02": gap_specs("mnist") + gap_specs("fashion-mnist"),
}
