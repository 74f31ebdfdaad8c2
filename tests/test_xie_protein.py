"""The Xie protein pages' study, statistics and declared claims (dlspectra.papers.xie.protein*), on synthetic spectra."""

from __future__ import annotations

import numpy as np
import pytest

from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN_DATA as NOT_RUN, REPRODUCED, ClaimRecorder
from dlspectra.papers.xie import protein as xp
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.proteins import ProteinSpectrum, SetResult, size_bin, summarize_by_size


def zipf_spectrum(name: str, n_residues: int, s: float = 1.0) -> ProteinSpectrum:
    """3N eigenvalues of H, ascending: six zero modes, then λ̃_i = i^s (so σ_i = 1/λ̃_i is Zipf with slope s)."""
    n = 3 * n_residues - 6
    lam = np.concatenate([np.zeros(6), np.arange(1, n + 1, dtype=float) ** s])
    return ProteinSpectrum(name, n_residues, lam)


def recorder(page: str) -> ClaimRecorder:
    rec = ClaimRecorder(page, "ci")
    rec.declare(CLAIMS[page])
    return rec


def test_hemoglobin_claims_on_an_exact_power_law():
    spec = zipf_spectrum("4HHB", 574)
    hb = xp.Hemoglobin({"prody": spec, "batched": spec}, {r: spec.fit(r) for r in ("tenth", 1000)})
    assert hb.path_difference == 0.0
    rec = recorder("xie/fig08")
    xp.hemoglobin_claims(rec, hb)
    verdicts = {c.claim_id: c.verdict for c in rec.claims}
    # an exact Zipf law: ŝ ≈ 0.99 (within 0.032 of 0.992), accepted at both K, six zero modes
    assert verdicts == {"s-0.992": REPRODUCED, "accepted-k1000": REPRODUCED, "accepted-tenth": REPRODUCED,
                        "six-zero-modes": REPRODUCED}
    assert "d_ks textbook" in rec.claims[1].measured
    assert rec.problems() == []
    table = xp.hemoglobin_table(hb)
    assert table.count("\n") == 4 and "paper (Table 11)" in table and "0.0145" in table


def test_hemoglobin_claims_fail_on_a_different_slope_and_are_not_run_without_data():
    spec = zipf_spectrum("4HHB", 574, s=1.3)
    hb = xp.Hemoglobin({"prody": spec, "batched": spec}, {r: spec.fit(r) for r in ("tenth", 1000)})
    rec = recorder("xie/tab11")
    xp.hemoglobin_claims(rec, hb)
    assert {c.claim_id: c.verdict for c in rec.claims}["beta"] == NOT_REPRODUCED
    assert rec.problems() == []                          # 4HHB: no ladder, with the reason declared
    rec = recorder("xie/fig09")
    xp.hemoglobin_claims(rec, None)
    assert {c.verdict for c in rec.claims} == {NOT_RUN}


def fake_study(specs: list[ProteinSpectrum], dropped: int = 0) -> xp.ProteinSet:
    rows = [{"id": sp.id, "n_residues": sp.n_residues, "dof": 3 * sp.n_residues, "n_zero_modes": 6, "status": "ok",
             "reason": "", "archive": "pdownb", "source": "pdownb"} for sp in specs]
    rows += [{"id": f"x{i}", "n_residues": 200, "dof": 600, "n_zero_modes": 12, "status": "disconnected",
              "reason": "12 zero modes (> 6): the contact network has 2 parts", "archive": "pisces_extra",
              "source": "cbio"} for i in range(dropped)]
    res = SetResult(rows, {sp.id: sp.eigenvalues for sp in specs}, {"zero_tol": 1e-6})
    st = xp.ProteinSet(res, ("tenth",), on_disk={("pdownb", 0): 99})
    st.fits["tenth"] = [r for r in res.fits("tenth") if r["status"] == "ok"]
    st.summary["tenth"] = summarize_by_size(st.fits["tenth"])
    st.textbook["tenth"] = summarize_by_size(xp.textbook_rows(res, "tenth"))
    return st


def test_intervals():
    e = xp.protein_study.mean_estimate([1.0, 1.1, 0.9, 1.05])
    assert e.lo < e.value < e.hi and e.value == pytest.approx(1.0125)
    f = xp.protein_study.fraction_estimate([True] * 50)
    assert f.value == 1.0 and f.hi == 1.0 and 0.9 < f.lo < 1.0
    assert np.isnan(xp.protein_study.mean_estimate([1.0]).value)


def test_set_claims_are_decided_with_intervals_and_ladders():
    # slopes: nearly equal in the smallest bin, spread wide in the middle one: the spread grows with size
    specs = [zipf_spectrum(f"a{i}", 110 + 3 * i, 1.0 + 0.02 * (i % 2)) for i in range(40)]    # 3N in [300, 1000]
    specs += [zipf_spectrum(f"b{i}", 400 + 10 * i, (0.8, 1.2)[i % 2]) for i in range(12)]     # 3N in (1000, 3000]
    specs += [zipf_spectrum(f"c{i}", 1010 + 20 * i, (0.8, 1.0, 1.2)[i]) for i in range(3)]   # 3N in (3000, 6000]
    st = fake_study(specs, dropped=5)
    assert [sum(size_bin(r["dof"]) == b for r in st.rows) for b in range(3)] == [40, 12, 3]
    rec = recorder("xie/tab04")
    xp.set_claims(rec, st)
    by = {c.claim_id: c for c in rec.claims}
    assert set(by) == {"s-bin1", "s-bin2", "s-bin3", "spread-shrinks"}
    assert by["s-bin1"].verdict == REPRODUCED and by["s-bin1"].ladder is None
    assert by["spread-shrinks"].verdict == NOT_REPRODUCED
    lad = by["spread-shrinks"].ladder
    assert lad["axis"] == "protein set size" and lad["rungs"][-1]["setting"] == 9166
    assert [r["setting"] for r in lad["rungs"][:-1]] == [15, 30, 60]          # nested quarters of 60 chains
    assert "not run: data" in lad["rungs"][-1]["note"]
    assert rec.problems() == []
    rec = recorder("xie/tab13")
    xp.set_claims(rec, st)
    v = {c.claim_id: c.verdict for c in rec.claims}
    assert v["all-pass"] == REPRODUCED and v["size-trend"] == NOT_REPRODUCED and rec.problems() == []
    text = xp.counts_markdown(st)
    assert "disconnected" in text and "pisces_extra" in text and "2 parts" in text
    assert "β̂ paper" in xp.bin_table(st)


def test_set_claims_not_run_without_data():
    rec = recorder("xie/fig10")
    xp.set_claims(rec, None)
    assert [(c.claim_id, c.verdict) for c in rec.claims] == [("all-pass", NOT_RUN), ("mean-ratio", NOT_RUN)]


def test_nested_subsets_are_nested_seeded_and_complete():
    ids = [f"c{i}" for i in range(101)]
    a = xp.nested_subsets(ids, seed=0)
    assert [len(x) for x in a] == [25, 50, 101]
    assert set(a[0]) <= set(a[1]) <= set(a[2]) == set(ids)
    assert xp.nested_subsets(ids, seed=0) == a
    for bad in [(0.5, 0.25), (0.0, 1.0), (0.5, 1.5), ()]:
        with pytest.raises(ValueError):
            xp.nested_subsets(ids, bad)


def test_a_corrupt_structure_file_is_recorded_as_not_run(tmp_path, monkeypatch):
    """--skip-data-check promises that a corrupt file makes its page 'not run' (issue 14 item 8), not crash."""
    from dlspectra.book.scales import preset

    (tmp_path / "pdb").mkdir()
    (tmp_path / "pdb" / "4hhb.pdb").write_text("HEADER    not the real 4HHB\nEND\n")
    monkeypatch.setenv("DLSPECTRA_DATA", str(tmp_path))
    p = preset("ci", "xie/fig08")
    hb, note = xp.data_note(lambda: xp.hemoglobin(p), "structure file `pdb/4hhb.pdb`")
    assert hb is None and "Data corrupt" in note and "4hhb.pdb" in note
    st, note = xp.data_note(lambda: xp.protein_set_study(preset("ci", "xie/fig10")), "structure set")
    assert st is None and "Data missing" in note


def test_protein_pages_and_modules_use_declared_claims_only():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files: list[Path] = []
    for page in ("fig08", "fig09", "fig10", "tab04", "tab11", "tab12", "tab13"):
        files += list((root / "notebooks" / "xie").glob(f"{page}_*.py"))
    files += list((root / "src" / "dlspectra" / "papers" / "xie").glob("protein*.py"))
    files.append(root / "src" / "dlspectra" / "papers" / "xie" / "claims" / "protein.py")
    assert len(files) == 13
    for f in files:
        text = f.read_text()
        assert "claims.check(" not in text and "scale_trend" not in text, f.name
        if f.parent.name == "xie" and f.parent.parent.name == "notebooks":
            assert "page.declare(CLAIMS)" in text, f.name
    # helpers return values: nothing in the study displays
    study = (root / "src" / "dlspectra" / "papers" / "xie" / "protein_study.py").read_text()
    assert "display(" not in study and "show_markdown" not in study
