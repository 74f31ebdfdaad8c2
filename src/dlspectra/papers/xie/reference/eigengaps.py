"""Eigengap pages (Fig. 2, Fig. 12, Table 2): the Table 6 rows of the eigengaps and of the eigenvalues.

The text's Table 2 lost its d_ks and ŝ columns in extraction; its rows are Table 6's "Eigengap" rows,
which are used here (β̂ ± σ and d_c agree with what Table 2 keeps).
"""

from __future__ import annotations

from .ks_tables import table6_row

EIGENGAPS = {
    "mnist": {"gap": table6_row(("gap", "mnist")), "eig": table6_row(("opt", "sgd"))},
    "fashion-mnist": {"gap": table6_row(("gap", "fashion-mnist")), "eig": table6_row(("sgd", "fashion-mnist"))},
}
"""Per data set: the Table 6 row of the eigengaps (``gap``) and of the SGD eigenvalues (``eig``)."""

PAGES = {
    "xie/fig02": EIGENGAPS["mnist"],
    "xie/fig12": EIGENGAPS["fashion-mnist"],
    "xie/tab02": EIGENGAPS,
}
