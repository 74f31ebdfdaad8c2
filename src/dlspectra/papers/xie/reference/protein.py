"""Protein pages (Section 5, App. D): 4HHB (Table 11 = Figs. 8/9) and the 9,166-protein set (Tables 4/12/13, Fig. 10)."""

from __future__ import annotations

from . import KsRow, Ref

T11 = "Table 11"
T13 = "Table 13"

HEMOGLOBIN = KsRow("4HHB", "ANM", "-", "-", ("protein", "4HHB"), 1000, Ref("0.0145", T11), Ref("0.0430", T11), True,
                   Ref("2.008", T11), Ref("0.032", T11), Ref("0.992", T11))
"""Table 11: the inverse-ANM spectrum of deoxyhaemoglobin (4HHB), K = 1000; Figs. 8 and 9 quote β̂ and ŝ."""

BINS = ("[300, 1000]", "[1000, 3000]", "[3000, 6000]", "[300, 6000]")
"""Table 13's columns: 3N_AA bins, the last one all proteins (Tables 4/12 have the first three)."""

PROTEIN_SET = {
    "n_proteins": Ref("9166", "Section 5"),
    "beta": {"mean": [Ref(t, T13) for t in ("1.976", "1.973", "2.004", "1.975")],
             "sd": [Ref(t, T13) for t in ("0.143", "0.103", "0.080", "0.128")]},
    "s": {"mean": [Ref(t, T13) for t in ("1.050", "1.041", "1.002", "1.045")],
          "sd": [Ref(t, T13) for t in ("0.175", "0.119", "0.084", "0.155")]},
    "ratio": {"mean": [Ref(t, T13) for t in ("0.304", "0.292", "0.317", "0.300")]},
}
"""Table 13 per bin (mean ± sd over proteins); Tables 4 and 12 print the ŝ row's first three columns.
App. D.4: every protein passes (d_ks/d_c < 1); its first column header reads "1300" in the text, a typo for 300."""

TABLE4 = {"s": {"mean": [Ref(t, "Table 4") for t in ("1.050", "1.041", "1.002")],
                "sd": [Ref(t, "Table 4") for t in ("0.175", "0.119", "0.084")]}}
"""Table 4 (Section 5) = Table 12 (App. D): ŝ per 3N_AA bin."""


PAGES = {
    "xie/fig08": {"4hhb": HEMOGLOBIN},
    "xie/fig09": {"4hhb": HEMOGLOBIN},
    "xie/tab11": {"4hhb": HEMOGLOBIN},
    "xie/fig10": {"set": PROTEIN_SET},
    "xie/tab04": {"set": PROTEIN_SET, "table": TABLE4},
    "xie/tab12": {"set": PROTEIN_SET, "table": {"s": {k: [Ref(r.text, "Table 12") for r in v]
                                                       for k, v in TABLE4["s"].items()}}},
    "xie/tab13": {"set": PROTEIN_SET},
}
