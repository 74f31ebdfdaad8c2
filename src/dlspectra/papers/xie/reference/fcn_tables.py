"""The paper's values for the fully connected and linear networks: Table 8 (Avila and MNIST FCNs;
pages fig04, fig13, fig18, tab08) and Table 10 (4-layer linear networks; page tab10), as :class:`KsRow`.

``key`` of a Table 8 row: ``("depth", d, "sgd" | "random")``, ``("width", w)`` or ``("avila",)``;
of a Table 10 row: ``("lnn", variant)`` with the variants of :data:`dlspectra.papers.xie.fcn.LNN_CONFIGS`.
"""

from __future__ import annotations

from dlspectra.papers.xie.reference import KsRow, Ref

T8, T10 = "Table 8", "Table 10"


def _r(text: str, where: str) -> Ref:
    return Ref(text, where)


def _row8(model: str, training: str, setting: str, key: tuple, k: int, d_ks: str, d_c: str, ok: bool,
          beta: str | None = None, sigma: str | None = None, s: str | None = None) -> KsRow:
    return KsRow("Avila" if key == ("avila",) else "MNIST", model, training, setting, key, k, _r(d_ks, T8),
                 _r(d_c, T8), ok, beta and _r(beta, T8), sigma and _r(sigma, T8), s and _r(s, T8))


TABLE8 = [
    _row8("2Layer-FCN", "SGD", "-", ("avila",), 50, "0.0683", "0.176", True, "1.604", "0.085", "1.656"),
    _row8("1Layer-FCN", "Random", "-", ("depth", 1, "random"), 1000, "0.185", "0.0430", False),
    _row8("1Layer-FCN", "SGD", "-", ("depth", 1, "sgd"), 1000, "0.241", "0.0430", False),
    _row8("2Layer-FCN", "Random", "-", ("depth", 2, "random"), 1000, "0.129", "0.0430", False),
    _row8("2Layer-FCN", "SGD", "-", ("depth", 2, "sgd"), 1000, "0.0112", "0.0430", True, "2.209", "0.038", "0.827"),
    _row8("4Layer-FCN", "Random", "-", ("depth", 4, "random"), 1000, "0.0628", "0.0430", False),
    _row8("4Layer-FCN", "SGD", "-", ("depth", 4, "sgd"), 1000, "0.0141", "0.0430", True, "2.201", "0.038", "0.833"),
    _row8("2Layer-FCN", "SGD", "Width=10", ("width", 10), 1000, "0.149", "0.0430", False),
    _row8("2Layer-FCN", "SGD", "Width=20", ("width", 20), 1000, "0.185", "0.0430", False),
    _row8("2Layer-FCN", "SGD", "Width=30", ("width", 30), 1000, "0.0656", "0.0430", False),
    _row8("2Layer-FCN", "SGD", "Width=50", ("width", 50), 1000, "0.0187", "0.0430", True, "2.138", "0.028", "0.879"),
    _row8("2Layer-FCN", "SGD", "Width=70", ("width", 70), 1000, "0.0376", "0.0430", True, "2.271", "0.030", "0.787"),
    _row8("2Layer-FCN", "SGD", "Width=100", ("width", 100), 1000, "0.0112", "0.0430", True, "2.209", "0.038",
          "0.827"),
]

TABLE10 = [
    KsRow("MNIST", "4Layer-LNN", "SGD", "-", ("lnn", "plain"), 1000, _r("0.122", T10), _r("0.0430", T10), False),
    KsRow("MNIST", "4Layer-LNN", "SGD", "w/ BatchNorm", ("lnn", "batchnorm"), 1000, _r("0.0411", T10),
          _r("0.0430", T10), True, _r("2.190", T10), _r("0.037", T10), _r("0.840", T10)),
    KsRow("MNIST", "4Layer-LNN", "SGD", "w/ ReLu", ("lnn", "relu"), 1000, _r("0.0127", T10), _r("0.0430", T10),
          True, _r("2.054", T10), _r("0.033", T10), _r("0.949", T10)),
]


def row(table: list[KsRow], key: tuple) -> KsRow:
    """The row of ``table`` standing for the run ``key``; KeyError naming the keys when absent."""
    for r in table:
        if r.key == key:
            return r
    raise KeyError(f"no row {key!r}; rows: {[r.key for r in table]}")


def paper_dict(table: list[KsRow], key: tuple) -> dict:
    """A row as the ``paper`` dict of :func:`dlspectra.papers.xie.tables.comparison_table` (floats)."""
    d = row(table, key).as_dict()
    return {k: d[k] for k in ("d_ks", "d_c", "beta", "sigma", "s") if d[k] is not None}


PAGES = {
    "xie/tab08": {"rows": TABLE8},
    "xie/fig04": {"rows": [r for r in TABLE8 if r.key[0] == "depth"]},
    "xie/fig18": {"rows": [r for r in TABLE8 if r.key[0] == "width"]},
    "xie/fig13": {"rows": [r for r in TABLE8 if r.key == ("avila",)]},
    "xie/tab10": {"rows": TABLE10},
}
