"""The paper's Table 7 (LeNet on CIFAR-10/100 across optimizers; K = 1000, d_c = 0.0430; pages fig15,
fig17, tab07) and Table 9 (ResNet18 on CIFAR-10/100; K = 50, d_c printed as 0.176; pages fig14,
fig19, tab09), each value as printed with its table.

Keys: ``(dataset, run)`` with the book's names (``"cifar10"``, ``"sgd"``, ``"vanilla-sgd"``, ...,
``"random"``; Table 7's ``"sgd, evaluated on CIFAR-10"``; Table 9's ``"B=512"`` ...). Values:
``(d_ks, beta, sigma, s)``, None where the paper prints none (rejected rows).
"""

from __future__ import annotations

from dlspectra.papers.xie.reference import Ref

T7, T9 = "Table 7", "Table 9"


def _rows(where: str, rows: dict) -> dict[tuple[str, str], tuple[Ref | None, ...]]:
    return {key: tuple(None if v is None else Ref(v, where) for v in vals) for key, vals in rows.items()}


TABLE7 = _rows(T7, {
    ("cifar10", "random"): ("0.0663", None, None, None),
    ("cifar10", "sgd"): ("0.0279", "1.968", "0.031", "1.033"),
    ("cifar10", "vanilla-sgd"): ("0.0276", "1.935", "0.030", "1.069"),
    ("cifar10", "adam"): ("0.0269", "1.806", "0.025", "1.241"),
    ("cifar10", "amsgrad"): ("0.0232", "1.786", "0.025", "1.271"),
    ("cifar10", "adabound"): ("0.0297", "1.901", "0.028", "1.110"),
    ("cifar10", "yogi"): ("0.0184", "1.806", "0.025", "1.241"),
    ("cifar10", "radam"): ("0.0163", "1.733", "0.023", "1.363"),
    ("cifar10", "adai"): ("0.0310", "1.918", "0.029", "1.090"),
    ("cifar10", "pnm"): ("0.0347", "1.911", "0.029", "1.098"),
    ("cifar10", "lookahead"): ("0.0358", "1.964", "0.030", "1.037"),
    ("cifar10", "diffgrad"): ("0.0303", "1.803", "0.024", "1.236"),
    ("cifar100", "random"): ("0.0944", None, None, None),
    ("cifar100", "sgd"): ("0.0315", "1.908", "0.029", "1.101"),
    ("cifar100", "vanilla-sgd"): ("0.0379", "1.903", "0.029", "1.108"),
    ("cifar100", "sgd, evaluated on CIFAR-10"): ("0.0306", "1.913", "0.029", "1.095"),
})
TABLE7_D_C = Ref("0.0430", T7)

TABLE9 = _rows(T9, {
    ("cifar10", "random"): ("0.334", None, None, None),
    ("cifar10", "sgd"): ("0.0803", "2.146", "0.162", "0.873"),
    ("cifar10", "vanilla-sgd"): ("0.0891", "2.193", "0.169", "0.838"),
    ("cifar10", "adam"): ("0.0478", "2.062", "0.149", "0.950"),
    ("cifar10", "amsgrad"): ("0.0542", "2.041", "0.147", "0.961"),
    ("cifar10", "adabound"): ("0.0588", "2.029", "0.146", "0.971"),
    ("cifar10", "yogi"): ("0.116", "1.915", "0.129", "1.092"),
    ("cifar10", "radam"): ("0.168", "1.794", "0.1112", "1.259"),
    ("cifar10", "adai"): ("0.103", "2.183", "0.167", "0.845"),
    ("cifar10", "pnm"): ("0.138", "2.132", "0.160", "0.884"),
    ("cifar10", "lookahead"): ("0.110", "2.098", "0.155", "0.911"),
    ("cifar10", "diffgrad"): ("0.068", "2.055", "0.149", "0.948"),
    ("cifar10", "B=512"): ("0.0561", "2.146", "0.151", "0.936"),
    ("cifar10", "B=1024"): ("0.0647", "2.076", "0.152", "0.929"),
    ("cifar10", "B=1152"): ("0.0598", "2.060", "0.150", "0.944"),
    ("cifar10", "B=1280"): ("0.331", None, None, None),
    ("cifar10", "B=2048"): ("0.334", None, None, None),
    ("cifar10", "B=4096"): ("0.334", None, None, None),
    ("cifar10", "B=16384"): ("0.343", None, None, None),
    ("cifar100", "random"): ("0.373", None, None, None),
    ("cifar100", "sgd"): ("0.108", "2.299", "0.184", "0.770"),
})
TABLE9_D_C = Ref("0.176", T9)


def floats(table: dict) -> dict[tuple[str, str], tuple[float | None, ...]]:
    """``{key: (d_ks, beta, sigma, s)}`` as floats (None where not printed)."""
    return {k: tuple(None if v is None else v.value for v in vals) for k, vals in table.items()}


PAGES = {
    "xie/tab07": {"rows": TABLE7, "d_c": TABLE7_D_C},
    "xie/fig15": {"rows": {k: v for k, v in TABLE7.items() if k[0] == "cifar10"}, "d_c": TABLE7_D_C},
    "xie/fig17": {"rows": {k: v for k, v in TABLE7.items() if k[0] == "cifar10"}},
    "xie/tab09": {"rows": TABLE9, "d_c": TABLE9_D_C},
    "xie/fig14": {"rows": {k: TABLE9[k] for k in (("cifar10", "random"), ("cifar10", "sgd"))}, "d_c": TABLE9_D_C},
    "xie/fig19": {"rows": {k: v for k, v in TABLE9.items() if k[1].startswith("B=") or k == ("cifar10", "sgd")},
                  "d_c": TABLE9_D_C},
}
