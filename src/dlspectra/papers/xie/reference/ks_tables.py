"""Table 5 (KS critical values) and Table 6 (KS statistics of LeNet on MNIST and Fashion-MNIST, 34 rows).

Table 6's rows live here once: ``xie/tab06`` shows them all, and its source pages (fig01, fig02,
fig03, fig05, fig06, fig07, fig12, fig21, tab02, ...) pick theirs with :func:`table6_row`.
"""

from __future__ import annotations

from . import KsRow, Ref

T6 = "Table 6"
T5 = "Table 5"
D_C_1000 = Ref("0.0430", T6)


def _row(dataset: str, training: str, setting: str, key: tuple, d_ks: str, fit: tuple[str, str, str] | None = None) -> KsRow:
    beta, sigma, s = (Ref(v, T6) for v in fit) if fit else (None, None, None)
    return KsRow(dataset, "LeNet", training, setting, key, 1000, Ref(d_ks, T6), D_C_1000, fit is not None,
                 beta, sigma, s)


TABLE6: list[KsRow] = [
    _row("MNIST", "Random", "-", ("random", "mnist"), "0.0796"),
    _row("MNIST", "SGD", "-", ("opt", "sgd"), "0.00900", ("1.991", "0.031", "1.009")),
    _row("MNIST", "Vanilla SGD", "-", ("opt", "vanilla-sgd"), "0.0103", ("1.914", "0.029", "1.094")),
    _row("MNIST", "Adam", "-", ("opt", "adam"), "0.00962", ("1.873", "0.028", "1.145")),
    _row("MNIST", "AMSGrad", "-", ("opt", "amsgrad"), "0.00987", ("1.845", "0.027", "1.184")),
    _row("MNIST", "AdaBound", "-", ("opt", "adabound"), "0.00889", ("1.904", "0.029", "1.106")),
    _row("MNIST", "Yogi", "-", ("opt", "yogi"), "0.00966", ("1.834", "0.026", "1.198")),
    _row("MNIST", "RAdam", "-", ("opt", "radam"), "0.0164", ("1.889", "0.028", "1.125")),
    _row("MNIST", "Adai", "-", ("opt", "adai"), "0.0101", ("1.892", "0.028", "1.122")),
    _row("MNIST", "PNM", "-", ("opt", "pnm"), "0.0127", ("1.846", "0.027", "1.181")),
    _row("MNIST", "Lookahead", "-", ("opt", "lookahead"), "0.0101", ("1.982", "0.031", "1.018")),
    _row("MNIST", "DiffGrad", "-", ("opt", "diffgrad"), "0.0105", ("1.834", "0.026", "1.198")),
    _row("MNIST", "SGD", "B = 128", ("batch", 128), "0.00900", ("1.991", "0.031", "1.009")),
    _row("MNIST", "SGD", "B = 512", ("batch", 512), "0.00787", ("1.894", "0.028", "1.119")),
    _row("MNIST", "SGD", "B = 640", ("batch", 640), "0.0125", ("1.838", "0.027", "1.194")),
    _row("MNIST", "SGD", "B = 768", ("batch", 768), "0.278"),
    _row("MNIST", "SGD", "B = 1024", ("batch", 1024), "0.129"),
    _row("MNIST", "SGD", "B = 8192", ("batch", 8192), "0.240"),
    _row("MNIST", "SGD", "B = 16384", ("batch", 16384), "0.249"),
    _row("MNIST", "SGD", "B = 32768", ("batch", 32768), "0.201"),
    _row("MNIST", "SGD", "B = 50000", ("batch", 50000), "0.139"),
    _row("MNIST", "SGD", "B = 60000", ("batch", 60000), "0.0936"),
    _row("MNIST", "SGD", "N = 600", ("size", 600), "0.205"),
    _row("MNIST", "SGD", "N = 800", ("size", 800), "0.0399", ("1.995", "0.031", "1.004")),
    _row("MNIST", "SGD", "N = 1000", ("size", 1000), "0.0198", ("2.128", "0.036", "0.886")),
    _row("MNIST", "SGD", "N = 3000", ("size", 3000), "0.0159", ("2.091", "0.034", "0.917")),
    _row("MNIST", "SGD", "N = 6000", ("size", 6000), "0.0151", ("2.001", "0.032", "0.999")),
    _row("MNIST", "SGD", "40% Label Noise", ("noise", 0.4), "0.180"),
    _row("MNIST", "SGD", "80% Label Noise", ("noise", 0.8), "0.157"),
    _row("MNIST", "SGD", "Random Labels", ("shuffled", None), "0.0482"),
    _row("Fashion-MNIST", "Random", "-", ("random", "fashion-mnist"), "0.0971"),
    _row("Fashion-MNIST", "SGD", "-", ("sgd", "fashion-mnist"), "0.0132", ("1.939", "0.030", "1.065")),
    _row("MNIST", "SGD", "Eigengap", ("gap", "mnist"), "0.0153", ("1.550", "0.017", "1.817")),
    _row("Fashion-MNIST", "SGD", "Eigengap", ("gap", "fashion-mnist"), "0.0240", ("1.520", "0.017", "1.922")),
]
"""Table 6 in the paper's order (34 rows; K = 1000, d_c = 0.0430). The datasets of the three rows the
text leaves blank (B = 16384, 40 % and 80 % label noise) are MNIST, as the surrounding rows."""

_BY_KEY = {}
for _r in TABLE6:
    _BY_KEY.setdefault(_r.key, _r)  # ("opt", "sgd") and ("batch", 128) are the same run, printed twice


def table6_row(key: tuple) -> KsRow:
    """The Table 6 row of a run key (e.g. ``("gap", "mnist")``, ``("batch", 768)``); KeyError if none."""
    if key not in _BY_KEY:
        raise KeyError(f"Table 6 has no row {key!r}; keys: {', '.join(map(repr, _BY_KEY))}")
    return _BY_KEY[key]


ALPHAS = (0.2, 0.15, 0.1, 0.05, 0.01)
TABLE5 = {
    "coefficient": dict(zip(ALPHAS, (Ref(t, T5) for t in ("1.07", "1.14", "1.22", "1.36", "1.63")))),
    50: dict(zip(ALPHAS, (Ref(t, T5) for t in ("0.151", "0.161", "0.173", "0.192", "0.231")))),
    1000: dict(zip(ALPHAS, (Ref(t, T5) for t in ("0.0338", "0.0360", "0.0386", "0.0430", "0.0515")))),
}
"""Table 5: c(α) of d_c = c(α)/√K (K > 35), and d_c at K = 50 and K = 1000, per significance level α."""

PAGES = {
    "xie/tab06": {"rows": TABLE6, "d_c": D_C_1000},
    "xie/tab05": {"table": TABLE5, "d_c_k50_tables_8_9": Ref("0.176", "Table 8")},
}
