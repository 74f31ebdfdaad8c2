"""The paper's Table 1 (LeNet, random vs SGD, four data sets; K = 1000, d_c = 0.0430): pages fig01, tab01.

``key`` of a row: ``(dataset, "random" | "sgd")`` with the book's data-set names. The table prints
d_ks truncated to three decimals (Tables 6 and 7 give more digits) and d_c once for the table.
"""

from __future__ import annotations

from dlspectra.papers.xie.reference import KsRow, Ref

T1 = "Table 1"
D_C = Ref("0.0430", "Table 2")  # Table 1 prints no d_c; Tables 2 and 6 give 0.0430 for K = 1000

_NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}


def _row(ds: str, kind: str, d_ks: str, beta: str | None = None, sigma: str | None = None,
         s: str | None = None) -> KsRow:
    r = (lambda t: t and Ref(t, T1))
    return KsRow(_NAMES[ds], "LeNet", "SGD" if kind == "sgd" else "Random", "-", (ds, kind), 1000, Ref(d_ks, T1), D_C,
                 kind == "sgd", r(beta), r(sigma), r(s))


TABLE1 = [
    _row("mnist", "random", "0.079"), _row("mnist", "sgd", "0.009", "1.991", "0.031", "1.009"),
    _row("fashion-mnist", "random", "0.097"), _row("fashion-mnist", "sgd", "0.013", "1.939", "0.030", "1.065"),
    _row("cifar10", "random", "0.066"), _row("cifar10", "sgd", "0.027", "1.968", "0.031", "1.033"),
    _row("cifar100", "random", "0.094"), _row("cifar100", "sgd", "0.031", "1.908", "0.029", "1.101"),
]


def table1() -> dict[tuple[str, str], dict]:
    """``{(dataset, kind): {"d_ks", "d_c", "accepted", "beta", "sigma", "s"}}`` (floats; None where not printed)."""
    return {r.key: r.as_dict() for r in TABLE1}


PAGES = {"xie/tab01": {"rows": TABLE1}, "xie/fig01": {"rows": TABLE1}}
