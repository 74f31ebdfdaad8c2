"""Protein structures for ANM spectra: C-alpha coordinates from local PDB files and the data folder's archives.

A :class:`Chain` is an id, ``(N, 3)`` float64 coordinates in Å and metadata. :func:`load_pdb` reads a
local PDB file through ProDy; :func:`load_ca_archive` / :func:`load_ca_entries` / :func:`load_ca_files`
read the C-alpha archives (``pdb/pdownb``, ``pdb/ts50`` or one built by :mod:`dlspectra.proteins.fetch`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


# ----------------------------------------------------------------------------- structures


@dataclass
class Chain:
    """One structure to analyse: an id, C-alpha coordinates ``(N, 3)`` float64 in Å, metadata."""

    id: str
    coords: np.ndarray
    meta: dict = field(default_factory=dict)

    @property
    def n_residues(self) -> int:
        return int(self.coords.shape[0])

    @property
    def dof(self) -> int:
        """3N, the number of degrees of freedom (the x-axis of Xie Table 13)."""
        return 3 * self.n_residues


def load_pdb(path: str | Path, *, chains: str | None = None, name: str | None = None) -> Chain:
    """C-alpha atoms of a local PDB file through ProDy's ``parsePDB`` (first model, altloc A).

    ``chains``: e.g. ``"A"`` or ``"AB"`` (default: every chain, joined, as ProDy's ANM does for
    an assembly such as 4HHB). Never touches the network. Returns a :class:`Chain` whose meta holds
    the ProDy ``AtomGroup`` selection under ``"atoms"`` (for :func:`prody_eigenvalues`).
    """
    import prody

    prody.confProDy(verbosity="none")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"PDB file not found: {path}")
    structure = prody.parsePDB(str(path), model=1, altloc="A")
    if structure is None:
        raise ValueError(f"ProDy could not parse {path}")
    sel = "calpha" if chains is None else f"calpha and chain {' '.join(chains)}"
    atoms = structure.select(sel)
    if atoms is None:
        raise ValueError(f"{path}: no C-alpha atoms match {sel!r}")
    coords = atoms.getCoords().astype(np.float64)
    meta = {"atoms": atoms, "source": str(path), "chains": "".join(sorted(set(atoms.getChids())))}
    return Chain(name or path.stem.upper(), coords, meta)


def load_4hhb() -> Chain:
    """PDB 4HHB (human deoxyhaemoglobin, four chains, 574 C-alpha) from the data folder.

    Raises :class:`~dlspectra.errors.DataMissingError` when ``pdb/4hhb.pdb`` is absent.
    """
    from dlspectra.data import require_file

    return load_pdb(require_file("pdb/4hhb.pdb"), name="4HHB")


_ARCHIVES = {
    "pdownb": ("pdb/pdownb/pdownb_ca.npz", "pdb/pdownb/pdownb_ca_index.csv"),
    "ts50": ("pdb/ts50/ts50_ca.npz", "pdb/ts50/ts50_index.csv"),
    "pisces_extra": ("pdb/pisces_extra/pisces_extra_ca.npz", "pdb/pisces_extra/pisces_extra_ca_index.csv"),
}

SET_ARCHIVES = ("pdownb", "pisces_extra")
"""The archives of the offline structure set (:func:`load_structure_set`): pdownb's 747 qualifying
chains and pisces_extra's 2,451 (none among the 747), 3,198 chains in all."""


def read_index(path: str | Path) -> list[dict[str, str]]:
    """Rows of an index CSV (strings)."""
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def load_ca_archive(name: str = "pdownb", *, qualifying_only: bool = True, n: int | None = None,
                    seed: int = 0, root: Path | None = None) -> list[Chain]:
    """Chains of a C-alpha archive of the data folder (see its README), as :class:`Chain` objects.

    ``name``: ``"pdownb"`` (5,269 chains; ``qualifying_only`` keeps the 747 with
    ``meets_all_criteria`` = 1: in the PISCES 30 % / 2.0 Å list and 100-2000 residues),
    ``"pisces_extra"`` (2,451 chains, all qualifying; see :func:`load_structure_set`) or ``"ts50"``
    (50 chains; missing C-alpha positions are NaN). Archives built by :func:`fetch_pisces_chains`
    can be read with :func:`load_ca_files`. ``n``: a seeded random subset of that many chains
    (``numpy.random.default_rng(seed)``), returned in index order. Raises ``DataMissingError``.
    """
    from dlspectra.data import require_file

    if name not in _ARCHIVES:
        raise ValueError(f"unknown archive {name!r}; valid: {sorted(_ARCHIVES)}")
    npz_rel, csv_rel = _ARCHIVES[name]
    npz_path, csv_path = require_file(npz_rel, root), require_file(csv_rel, root)
    return load_ca_files(npz_path, csv_path, qualifying_only=qualifying_only, n=n, seed=seed)


def load_ca_entries(name: str = "pdownb", *, qualifying_only: bool = True, n: int | None = None, seed: int = 0,
                    max_residues: int | None = None, root: Path | None = None) -> list[Chain]:
    """Whole PDB entries of a C-alpha archive: all chains of an entry joined, as ProDy's ANM does for 4HHB.

    The paper's example, 4HHB, is a four-chain entry, and its "9166 kinds of protein molecules"
    may be entries rather than chains (catalog-xie 0.7). An entry is kept when at least one of its
    chains qualifies (``qualifying_only``); its coordinates are the archive's chains in index order,
    shape ``(sum N_c, 3)``. ``max_residues``: drop larger entries *before* drawing the seeded subset
    of ``n`` (to bound the cost of a small run). Raises ``DataMissingError``.
    """
    from dlspectra.data import require_file

    npz_rel, csv_rel = _ARCHIVES[name]
    npz_path, csv_path = require_file(npz_rel, root), require_file(csv_rel, root)
    rows = read_index(csv_path)
    by_entry: dict[str, list[dict]] = {}
    for r in rows:
        by_entry.setdefault(r["pdb_id"], []).append(r)
    keep = [e for e, rs in by_entry.items()
            if not qualifying_only or any(r.get("meets_all_criteria", "1").strip() in ("1", "True", "true") for r in rs)]
    if max_residues is not None:
        keep = [e for e in keep if sum(int(r["n_residues"]) for r in by_entry[e]) <= max_residues]
    if n is not None and n < len(keep):
        keep = [keep[i] for i in np.sort(np.random.default_rng(seed).choice(len(keep), size=n, replace=False))]
    out = []
    with np.load(npz_path, allow_pickle=False) as z:
        for e in keep:
            keys = [r.get("key") or f"{r['pdb_id']}{r['chain']}" for r in by_entry[e]]
            coords = np.concatenate([z[k].astype(np.float64) for k in keys])
            out.append(Chain(e, coords, {"pdb_id": e, "chain": "".join(r["chain"] for r in by_entry[e]),
                                         "n_chains": len(keys)}))
    return out


def load_ca_files(npz_path: str | Path, csv_path: str | Path, *, qualifying_only: bool = True,
                  n: int | None = None, seed: int = 0) -> list[Chain]:
    """Chains of an ``npz`` (key -> ``(N, 3)`` coordinates) + index ``csv`` pair; see :func:`load_ca_archive`.

    The key column is ``key`` when present, else ``pdb_id + chain`` (TS50's keys). The qualifying
    filter applies when the index has a ``meets_all_criteria`` column.
    """
    rows = read_index(csv_path)
    if qualifying_only and rows and "meets_all_criteria" in rows[0]:
        rows = [r for r in rows if r["meets_all_criteria"].strip() in ("1", "True", "true")]
    if n is not None and n < len(rows):
        pick = np.sort(np.random.default_rng(seed).choice(len(rows), size=n, replace=False))
        rows = [rows[i] for i in pick]
    out = []
    with np.load(npz_path, allow_pickle=False) as z:
        for r in rows:
            key = r.get("key") or f"{r['pdb_id']}{r['chain']}"
            if key not in z.files:
                from dlspectra.errors import DataCorruptError

                raise DataCorruptError(f"data file corrupt: {npz_path} has no array {key!r} listed in {csv_path}")
            a = z[key]
            if a.ndim != 2 or a.shape[1] != 3 or ("n_residues" in r and a.shape[0] != int(r["n_residues"])):
                from dlspectra.errors import DataCorruptError

                raise DataCorruptError(f"data file corrupt: {npz_path}[{key!r}] has shape {a.shape}, its index "
                                       f"{csv_path} says {r.get('n_residues', '?')} residues x 3")
            out.append(Chain(key, a.astype(np.float64), dict(r)))
    return out


FETCHED = "pdb/pisces_fetched"
"""Where ``python -m dlspectra.proteins fetch LIST <data>/pdb/pisces_fetched`` writes its archive (needs a network)."""


def load_structure_set(archives: tuple[str, ...] = SET_ARCHIVES, *, fetched: bool = False,
                       root: Path | None = None) -> list[Chain]:
    """The offline structure set: the qualifying chains of every archive of ``archives``, as one list.

    Each :class:`Chain` carries ``meta["archive"]`` (``"pdownb"`` or ``"pisces_extra"``) and
    ``meta["source"]`` (pisces_extra's ``source`` column: ``cbio``, ``cath00``, ``lsp``, ``dssp``;
    ``"pdownb"`` for pdownb's chains, all from full PDB entries), in archive then index order.
    Every file is checked against its SHA-256 (``DataMissingError`` / ``DataCorruptError`` naming
    it); a chain id held by two archives is an error (the archives are disjoint by construction).
    ``fetched``: also the qualifying chains of an archive fetched from the PDB into :data:`FETCHED`
    when one is there (built locally, so no checksum; archive ``"pisces_fetched"``, source
    ``"fetched"``); a fetched chain already in the set is skipped.
    """
    out: list[Chain] = []
    seen: dict[str, str] = {}
    for name in archives:
        for c in load_ca_archive(name, qualifying_only=True, root=root):
            if c.id in seen:
                from dlspectra.errors import DataCorruptError

                raise DataCorruptError(f"chain {c.id} is in both {seen[c.id]} and {name}; the archives must be disjoint")
            seen[c.id] = name
            c.meta["archive"] = name
            c.meta["source"] = c.meta.get("source") or name
            out.append(c)
    if fetched:
        from dlspectra.data import data_root

        base = (Path(root) if root is not None else data_root()) / FETCHED
        npz, index = base / "pisces_ca.npz", base / "pisces_ca_index.csv"
        if npz.is_file() and index.is_file():
            rows = [r for r in read_index(index) if r.get("status", "ok") in ("ok", "")
                    and r.get("meets_all_criteria", "1").strip() in ("1", "True", "true") and r["key"] not in seen]
            with np.load(npz, allow_pickle=False) as z:
                for r in rows:
                    if r["key"] in z.files:
                        out.append(Chain(r["key"], z[r["key"]].astype(np.float64),
                                         dict(r, archive="pisces_fetched", source="fetched")))
    return out


