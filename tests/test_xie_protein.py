"""The Xie protein pages' shared study and claim rules (dlspectra.papers.xie.protein), on synthetic spectra."""

from __future__ import annotations

import numpy as np
import pytest

from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN_DATA as NOT_RUN, REPRODUCED, ClaimRecorder
from dlspectra.papers.xie import protein as xp
from dlspectra.proteins import ProteinSpectrum, SetResult


def zipf_spectrum(name: str, n_residues: int, s: float = 1.0) -> ProteinSpectrum:
    """3N eigenvalues of H, ascending: six zero modes, then λ̃_i = i^s (so σ_i = 1/λ̃_i is Zipf with slope s)."""
    n = 3 * n_residues - 6
    lam = np.concatenate([np.zeros(6), np.arange(1, n + 1, dtype=float) ** s])
    return ProteinSpectrum(name, n_residues, lam)


def fake_set(specs: list[ProteinSpectrum]) -> SetResult:
    rows = [{"id": sp.id, "n_residues": sp.n_residues, "dof": 3 * sp.n_residues, "n_zero_modes": 6, "status": "ok",
             "reason": ""} for sp in specs]
    return SetResult(rows, {sp.id: sp.eigenvalues for sp in specs}, {"zero_tol": 1e-6})


def test_hemoglobin_claims_on_an_exact_power_law():
    spec = zipf_spectrum("4HHB", 574)
    hb = xp.Hemoglobin({"prody": spec, "batched": spec}, {r: spec.fit(r) for r in ("tenth", 1000)})
    assert hb.path_difference == 0.0
    rec = ClaimRecorder("xie/test", "ci")
    xp.hemoglobin_claims(rec, hb, {"s-0.992": "s", "accepted-k1000": "a", "six-zero-modes": "z", "beta": "b"})
    verdicts = {c.claim_id: c.verdict for c in rec.claims}
    # an exact Zipf law: ŝ ≈ 0.99 (within 0.032 of 0.992), accepted, six zero modes
    assert verdicts == {"s-0.992": REPRODUCED, "accepted-k1000": REPRODUCED, "six-zero-modes": REPRODUCED,
                        "beta": REPRODUCED}
    assert "d_ks textbook" in rec.claims[1].measured
    table = hb.table()
    assert table.count("\n") == 4 and "paper (Table 11)" in table and "0.0145" in table


def test_hemoglobin_claims_fail_on_a_different_slope_and_are_not_run_without_data():
    spec = zipf_spectrum("4HHB", 574, s=1.3)
    hb = xp.Hemoglobin({"prody": spec, "batched": spec}, {r: spec.fit(r) for r in ("tenth", 1000)})
    rec = ClaimRecorder("xie/test", "ci")
    xp.hemoglobin_claims(rec, hb, {"s-0.992": "s", "beta": "b"})
    assert [c.verdict for c in rec.claims] == [NOT_REPRODUCED, NOT_REPRODUCED]
    rec = ClaimRecorder("xie/test", "ci")
    xp.hemoglobin_claims(rec, None, {"s-0.992": "s"})
    assert rec.claims[0].verdict == NOT_RUN


def study_of(specs_chains, specs_entries) -> xp.ProteinSets:
    from dlspectra.proteins import summarize_by_size

    sets = {"chains": fake_set(specs_chains), "entries": fake_set(specs_entries)}
    st = xp.ProteinSets(sets, ("tenth",))
    for name, res in sets.items():
        st.fits[(name, "tenth")] = res.fits("tenth")
        st.summary[(name, "tenth")] = summarize_by_size(st.fits[(name, "tenth")])
        st.textbook[(name, "tenth")] = summarize_by_size(xp.textbook_rows(res, "tenth"))
    return st


def test_set_claims_rules_and_prefixes():
    small = [zipf_spectrum(f"c{i}", 150 + 10 * i) for i in range(12)]          # 3N in [300, 1000]
    mixed = small + [zipf_spectrum(f"e{i}", 400 + 20 * i) for i in range(12)]  # 3N in [1000, 3000]
    st = study_of(small, mixed)
    rec = ClaimRecorder("xie/test", "ci")
    xp.set_claims(rec, st, {"all-pass": "p", "s-bin1": "b1", "s-bin3": "b3", "spread-shrinks": "sd"})
    v = {c.claim_id: c.verdict for c in rec.claims}
    assert v["all-pass"] == REPRODUCED and v["entries-all-pass"] == REPRODUCED
    assert v["s-bin1"] == REPRODUCED                      # mean ŝ ≈ 1 with 12 structures
    assert v["s-bin3"] == INCONCLUSIVE                    # empty bin
    assert v["spread-shrinks"] == INCONCLUSIVE            # one usable bin only for chains
    assert v["entries-spread-shrinks"] in (REPRODUCED, NOT_REPRODUCED)
    assert all(c.text.endswith("]") for c in rec.claims)  # tagged with the reading
    tb = st.textbook[("chains", "tenth")][-1]
    assert tb["count"] == 12 and tb["mean_ratio"] >= st.overall("chains")["mean_ratio"]  # textbook d_ks ≥ paper's
    with pytest.raises(KeyError, match="unknown protein-set claim"):
        xp.set_claims(ClaimRecorder("xie/test", "ci"), st, {"nope": "x"})


def test_set_claims_not_run_without_data():
    rec = ClaimRecorder("xie/test", "ci")
    xp.set_claims(rec, None, {"mean-ratio": "m"})
    assert [(c.claim_id, c.verdict) for c in rec.claims] == [("mean-ratio", NOT_RUN), ("entries-mean-ratio", NOT_RUN)]


def test_a_corrupt_structure_file_is_recorded_as_not_run(tmp_path, monkeypatch):
    """--skip-data-check promises that a corrupt file makes its page 'not run' (issue 14 item 8), not crash."""
    from dlspectra.book.scales import preset
    from dlspectra.papers.xie import protein as xp

    (tmp_path / "pdb").mkdir()
    (tmp_path / "pdb" / "4hhb.pdb").write_text("HEADER    not the real 4HHB\nEND\n")
    monkeypatch.setenv("DLSPECTRA_DATA", str(tmp_path))
    shown = []
    monkeypatch.setattr(xp, "show_markdown", shown.append)
    assert xp.hemoglobin(preset("ci", "xie/fig08")) is None
    assert "Data corrupt" in shown[-1] and "4hhb.pdb" in shown[-1]
