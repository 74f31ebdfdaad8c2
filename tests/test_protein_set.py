"""The offline structure set (issue 19): both archives as one set, screening as the paper, the paper's bins."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from dlspectra.errors import DataCorruptError, DataMissingError
from dlspectra.proteins import (SIZE_BINS, Chain, load_structure_set, process_chains, sample_by_bin, screen_counts,
                                size_bin)


def _have_set() -> bool:
    try:
        from dlspectra.data import data_root

        root = data_root()
    except Exception:  # noqa: BLE001
        return False
    return all((root / f"pdb/{a}/{a}_ca.npz").is_file() for a in ("pdownb", "pisces_extra"))


needs_data = pytest.mark.skipif(not _have_set(), reason="pdb/pdownb and pdb/pisces_extra not in the data folder")


def test_bins_have_the_papers_edges():
    assert SIZE_BINS == ((300, 1000), (1000, 3000), (3000, 6000))
    # shared edges go to the lower bin; 100 <= N <= 2000 residues covers 300 <= 3N <= 6000
    assert [size_bin(d) for d in (299, 300, 999, 1000, 1001, 2999, 3000, 3001, 6000, 6001)] == \
        [-1, 0, 0, 0, 1, 1, 1, 2, 2, -1]


@needs_data
def test_the_joined_set_counts_per_archive_and_bin_on_the_real_files():
    chains = load_structure_set()
    assert len(chains) == 3198 and len({c.id for c in chains}) == 3198
    by = {}
    for c in chains:
        key = (c.meta["archive"], size_bin(c.dof))
        by[key] = by.get(key, 0) + 1
    assert by == {("pdownb", 0): 745, ("pdownb", 1): 2, ("pisces_extra", 0): 1975, ("pisces_extra", 1): 473,
                  ("pisces_extra", 2): 3}
    # 2,720 / 475 / 3 by 3N, as the data README says
    assert [sum(v for (a, b), v in by.items() if b == k) for k in range(3)] == [2720, 475, 3]
    sources = {c.meta["source"] for c in chains}
    assert sources == {"pdownb", "cbio", "cath00", "lsp", "dssp"}
    assert all(100 <= c.n_residues <= 2000 for c in chains)


@needs_data
def test_a_sample_keeps_every_chain_of_the_bins_it_takes_whole():
    chains = load_structure_set()
    s = sample_by_bin(chains, [50, None, None], seed=0)
    assert [sum(size_bin(c.dof) == b for c in s) for b in range(3)] == [50, 475, 3]
    assert [c.id for c in sample_by_bin(chains, [50, None, None], seed=0)] == [c.id for c in s]   # seeded


def _compact(n_side: int = 5, seed: int = 0) -> np.ndarray:
    """A compact, rigid C-alpha cloud: a 3.8 Å grid (every node has many contacts within 9 Å), jittered."""
    g = np.stack(np.meshgrid(*[np.arange(n_side)] * 3, indexing="ij"), -1).reshape(-1, 3) * 3.8
    return g + np.random.default_rng(seed).normal(scale=0.2, size=g.shape)


def test_screening_drops_a_chain_with_a_disconnected_residue():
    good = _compact()
    bad = np.vstack([good, good[-1] + [40.0, 0.0, 0.0]])          # one residue 40 Å away: two networks
    chains = [Chain("good", good, {"archive": "test", "source": "synthetic"}),
              Chain("bad", bad, {"archive": "test", "source": "synthetic"})]
    res = process_chains(chains, jobs=1, cache=False, progress=False)
    st = {r["id"]: r for r in res.rows}
    assert st["good"]["status"] == "ok" and st["good"]["n_zero_modes"] == 6
    # a lone residue adds its three translations (a rigid part of more than two nodes adds six)
    assert st["bad"]["status"] == "disconnected" and st["bad"]["n_zero_modes"] == 9
    assert "2 parts" in st["bad"]["reason"]
    assert st["bad"]["archive"] == "test" and st["bad"]["source"] == "synthetic"
    counts = screen_counts(res.rows)
    assert counts == [{"archive": "test", "bin": 0, "total": 2, "ok": 1, "missing_ca": 0, "too_small": 0,
                       "too_large": 0, "disconnected": 1, "extra_zero_modes": 0, "error": 0}]


@needs_data
def test_a_missing_or_corrupt_archive_is_named(tmp_path):
    from dlspectra.data import data_root

    shutil.copytree(data_root() / "pdb" / "pdownb", tmp_path / "pdb" / "pdownb")
    with pytest.raises(DataMissingError, match="pisces_extra_ca.npz"):
        load_structure_set(root=tmp_path)
    shutil.copytree(data_root() / "pdb" / "pisces_extra", tmp_path / "pdb" / "pisces_extra")
    csv = tmp_path / "pdb" / "pisces_extra" / "pisces_extra_ca_index.csv"
    csv.chmod(0o644)
    csv.write_text(csv.read_text().replace("1A1X_A,1A1X,A,106", "1A1X_A,1A1X,A,107", 1))
    with pytest.raises(DataCorruptError, match="pisces_extra_ca_index.csv"):
        load_structure_set(root=tmp_path)


@needs_data
def test_fetched_chains_join_the_set_without_duplicates(tmp_path):
    import csv

    from dlspectra.data import data_root

    for a in ("pdownb", "pisces_extra"):
        shutil.copytree(data_root() / "pdb" / a, tmp_path / "pdb" / a)
    base = tmp_path / "pdb" / "pisces_fetched"
    base.mkdir()
    new = _compact().astype(np.float32)
    np.savez(base / "pisces_ca.npz", NEW1_A=new, **{"1A1X_A": new})
    with open(base / "pisces_ca_index.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["key", "pdb_id", "chain", "n_residues", "meets_all_criteria", "status"])
        w.writeheader()
        w.writerow({"key": "NEW1_A", "pdb_id": "NEW1", "chain": "A", "n_residues": 125, "meets_all_criteria": 1,
                    "status": "ok"})
        w.writerow({"key": "1A1X_A", "pdb_id": "1A1X", "chain": "A", "n_residues": 125, "meets_all_criteria": 1,
                    "status": "ok"})
    assert len(load_structure_set(root=tmp_path)) == 3198
    joined = load_structure_set(fetched=True, root=tmp_path)
    assert len(joined) == 3199 and joined[-1].id == "NEW1_A" and joined[-1].meta["archive"] == "pisces_fetched"
