"""Anisotropic network model (ANM) spectra of protein structures (Xie et al. Section 5, App. C-D).

The model (Atilgan et al. 2001; Xie App. D.1, catalog-xie 0.7): one node per residue (its C-alpha
atom, coordinates in Å), a spring of constant ``gamma`` between every pair closer than ``cutoff``
(9.0 Å in the paper; a pair at exactly the cutoff is a contact, as in ProDy). The Hessian is the
``(3N, 3N)`` matrix of 3x3 super-elements

    H_ij = -gamma / |d_ij|^2 * d_ij d_ij^T   (i != j, |d_ij| <= cutoff; d_ij = r_j - r_i)
    H_ii = -sum_{j != i} H_ij

in units of gamma / Å^2 (gamma = 1). A connected structure has exactly six zero modes (three
translations, three rotations); each further disconnected part adds six more.

What is fitted (App. D.2): **not** H's eigenvalues but those of its pseudo-inverse, σ_i = 1/λ̃_i over
the n = 3N - n_zero non-zero modes, sorted descending (σ_1 from the slowest mode). The tested top-K
of σ is chosen by a K rule: ``"tenth"`` (App. D.4: "λ_cutoff = the top 1/10 largest eigenvalue",
K = floor(n/10)) or a fixed integer (Table 11 reports "sample size 1000" for 4HHB; capped at n).

Two computational paths, checked against each other in the tests:

* :func:`prody_eigenvalues`: ProDy's ``ANM.buildHessian`` (a Python loop over residues) and
  ``calcModes(n_modes=None, zeros=True)`` (dense ``scipy.linalg.eigh``): the reference.
* :func:`anm_hessian` / :func:`batched_eigenvalues`: our own vectorised construction (numpy or
  torch, no per-residue loop) and ``torch.linalg.eigvalsh`` on size buckets of zero-padded
  matrices (padding nodes get a diagonal larger than any real eigenvalue, so they are dropped
  exactly), on the CPU or a CUDA device, in float64.

Structure sets go through :func:`process_chains`: chunks of chains in parallel worker processes,
a tqdm progress bar, one cache entry per chunk (resumable), and every chain accounted for in the
result table with a status (``ok``, ``missing_ca``, ``too_small``, ``too_large``,
``disconnected``, ``extra_zero_modes``, ``error``; see :data:`STATUSES`) and a reason. Nothing is dropped silently.

Loaders: :func:`load_ca_archive` (the ``pdb/pdownb`` and ``pdb/ts50`` C-alpha archives of the data
folder), :func:`load_pdb` (a local PDB file through ProDy). :func:`fetch_pisces_chains` builds
such an archive from a PISCES list where a network exists (``python -m dlspectra.anm fetch``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import DlspectraError, SpectrumError
from .fits import PowerLawFit, power_law_fit

CUTOFF = 9.0
"""Xie App. D.1: r_C = 9.0 Å."""
GAMMA = 1.0
"""Homogeneous spring constant κ = 1 (ProDy's ``gamma``)."""
ZERO_TOL = 1e-6
"""Eigenvalues below this (units gamma/Å²) count as zero modes: ProDy's ``ZERO`` (utilities.eigtools)."""
RIGID_BODY_MODES = 6
SIZE_BINS: tuple[tuple[int, int], ...] = ((300, 1000), (1000, 3000), (3000, 6000))
"""Xie Tables 4/12/13: bins of 3N (degrees of freedom). Edges shared by two bins go to the lower one."""
SET_VERSION = 3
"""Bumped when the per-chunk cache payload changes meaning."""

STATUSES = ("ok", "missing_ca", "too_small", "too_large", "disconnected", "extra_zero_modes", "error")
"""Per-chain outcomes of :func:`process_chains`. ``disconnected``: the contact network has several
parts (6 zero modes each). ``extra_zero_modes``: connected, but more than 6 zero modes because
some nodes are under-constrained (e.g. a terminal residue with only two contacts can swing freely).
Both are excluded as the paper excludes them ("no zero eigenvalues except for the six modes", D.4)."""


class FetchError(DlspectraError, RuntimeError):
    """Structures could not be fetched from the PDB (no network, or the server refused)."""


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
    from .data import require_file

    return load_pdb(require_file("pdb/4hhb.pdb"), name="4HHB")


_ARCHIVES = {
    "pdownb": ("pdb/pdownb/pdownb_ca.npz", "pdb/pdownb/pdownb_ca_index.csv"),
    "ts50": ("pdb/ts50/ts50_ca.npz", "pdb/ts50/ts50_index.csv"),
}


def read_index(path: str | Path) -> list[dict[str, str]]:
    """Rows of an index CSV (strings)."""
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def load_ca_archive(name: str = "pdownb", *, qualifying_only: bool = True, n: int | None = None,
                    seed: int = 0, root: Path | None = None) -> list[Chain]:
    """Chains of a C-alpha archive of the data folder (see its README), as :class:`Chain` objects.

    ``name``: ``"pdownb"`` (5,269 chains; ``qualifying_only`` keeps the 747 with
    ``meets_all_criteria`` = 1: in the PISCES 30 % / 2.0 Å list and 100-2000 residues) or ``"ts50"``
    (50 chains; missing C-alpha positions are NaN). Archives built by :func:`fetch_pisces_chains`
    can be read with :func:`load_ca_files`. ``n``: a seeded random subset of that many chains
    (``numpy.random.default_rng(seed)``), returned in index order. Raises ``DataMissingError``.
    """
    from .data import require_file

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
    from .data import require_file

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
                raise KeyError(f"{npz_path} has no array {key!r} listed in {csv_path}")
            out.append(Chain(key, z[key].astype(np.float64), dict(r)))
    return out


# ----------------------------------------------------------------------------- the Hessian


def anm_hessian(coords: np.ndarray, cutoff: float = CUTOFF, gamma: float = GAMMA) -> np.ndarray:
    """Dense ANM Hessian of C-alpha coordinates ``(N, 3)`` (Å): ``(3N, 3N)`` float64, units gamma/Å².

    Vectorised (O(N²) memory: ``N*N*9`` doubles). Raises ``ValueError`` on NaN coordinates or two
    atoms at the same position.
    """
    x = np.asarray(coords, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 3:
        raise ValueError(f"coordinates must have shape (N, 3), got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{int((~np.isfinite(x).all(1)).sum())} coordinates are NaN or infinite")
    n = x.shape[0]
    d = x[None, :, :] - x[:, None, :]                     # d[i, j] = r_j - r_i
    r2 = np.einsum("ijk,ijk->ij", d, d)
    contact = r2 <= cutoff * cutoff
    np.fill_diagonal(contact, False)
    if np.any(r2[contact] == 0.0):
        raise ValueError("two atoms share the same position")
    w = np.zeros_like(r2)
    w[contact] = gamma / r2[contact]
    blocks = -w[:, :, None, None] * d[:, :, :, None] * d[:, :, None, :]   # (N, N, 3, 3)
    idx = np.arange(n)
    blocks[idx, idx] = -blocks.sum(axis=1)
    return blocks.transpose(0, 2, 1, 3).reshape(3 * n, 3 * n)


def _hessians_torch(coords: "torch.Tensor", mask: "torch.Tensor", cutoff: float, gamma: float) -> "torch.Tensor":
    """Batched ANM Hessians of zero-padded coordinates ``(B, N, 3)`` with node ``mask`` ``(B, N)``.

    Padding nodes get no contacts and a diagonal ``c * I_3`` with ``c`` above every real
    eigenvalue (Gershgorin bound + 1), so the top ``3 * n_pad`` eigenvalues are exactly ``c``.
    Returns ``(B, 3N, 3N)`` in the dtype and device of ``coords``.
    """
    import torch

    b, n, _ = coords.shape
    d = coords[:, None, :, :] - coords[:, :, None, :]          # (B, N, N, 3): r_j - r_i
    r2 = (d * d).sum(-1)
    eye = torch.eye(n, dtype=torch.bool, device=coords.device)
    contact = (r2 <= cutoff * cutoff) & mask[:, :, None] & mask[:, None, :] & ~eye
    w = torch.where(contact, gamma / torch.where(contact, r2, torch.ones_like(r2)), torch.zeros_like(r2))
    blocks = -w[..., None, None] * d[..., :, None] * d[..., None, :]   # (B, N, N, 3, 3)
    diag = -blocks.sum(dim=2)                                          # (B, N, 3, 3)
    ar = torch.arange(n, device=coords.device)
    blocks[:, ar, ar] = diag
    h = blocks.permute(0, 1, 3, 2, 4).reshape(b, 3 * n, 3 * n)
    bound = h.abs().sum(-1).amax(-1) + 1.0                             # (B,) Gershgorin bound
    pad = (~mask).repeat_interleave(3, dim=1).to(h.dtype)              # (B, 3N)
    h = h + torch.diag_embed(pad * bound[:, None])
    return h


def batched_eigenvalues(coords_list: Sequence[np.ndarray], cutoff: float = CUTOFF, gamma: float = GAMMA, *,
                        device: str = "cpu", bucket: int | None = None, max_bytes: int = 256 << 20,
                        threads: int | None = 1) -> list[np.ndarray]:
    """All ``3N`` eigenvalues (ascending, float64, units gamma/Å²) of the ANM Hessian of each structure.

    ``coords_list``: finite ``(N_b, 3)`` arrays. Structures are grouped by N rounded up to a
    multiple of ``bucket`` residues, zero-padded within the group (padding removed exactly, see
    :func:`_hessians_torch`) and diagonalised together with ``torch.linalg.eigvalsh`` in float64 on
    ``device``; a group is split so that its 3x3-block tensor stays under ``max_bytes``.
    ``bucket`` defaults to 8 on the CPU (padding costs more than batching gains there) and 32 on
    a GPU. ``threads``: torch CPU threads during the call (default 1: parallelise over processes
    with :func:`process_chains` instead; multithreaded LAPACK on small matrices is slower on a
    shared machine); ``None`` leaves torch's setting alone.
    """
    import torch

    on_cpu = torch.device(device).type == "cpu"
    if bucket is None:
        bucket = 8 if on_cpu else 32
    saved = torch.get_num_threads()
    if on_cpu and threads:
        torch.set_num_threads(int(threads))
    try:
        return _batched_eigenvalues(coords_list, cutoff, gamma, device, bucket, max_bytes)
    finally:
        torch.set_num_threads(saved)


def _batched_eigenvalues(coords_list: Sequence[np.ndarray], cutoff: float, gamma: float, device: str,
                         bucket: int, max_bytes: int) -> list[np.ndarray]:
    import torch

    sizes = np.array([c.shape[0] for c in coords_list], dtype=int)
    out: list[np.ndarray | None] = [None] * len(coords_list)
    padded = (np.maximum(sizes, 1) + bucket - 1) // bucket * bucket
    for size in np.unique(padded):
        members = np.flatnonzero(padded == size)
        per = max(1, int(max_bytes // (size * size * 9 * 8 * 2)))
        for start in range(0, members.size, per):
            group = members[start:start + per]
            x = np.zeros((group.size, size, 3))
            m = np.zeros((group.size, size), dtype=bool)
            for g, i in enumerate(group):
                x[g, :sizes[i]] = coords_list[i]
                m[g, :sizes[i]] = True
            xt = torch.from_numpy(x).to(device)
            mt = torch.from_numpy(m).to(device)
            h = _hessians_torch(xt, mt, cutoff, gamma)
            ev = torch.linalg.eigvalsh(h).cpu().numpy()
            for g, i in enumerate(group):
                out[i] = ev[g, :3 * sizes[i]]
    return out  # type: ignore[return-value]


def contact_matrix(coords: np.ndarray, cutoff: float = CUTOFF) -> np.ndarray:
    """Boolean ``(N, N)`` contact map (distance <= ``cutoff`` Å, no self-contacts)."""
    x = np.asarray(coords, dtype=np.float64)
    r2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    a = r2 <= cutoff * cutoff
    np.fill_diagonal(a, False)
    return a


def contact_components(coords: np.ndarray, cutoff: float = CUTOFF) -> int:
    """Number of connected parts of the contact network (each contributes six zero modes)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    return int(connected_components(csr_matrix(contact_matrix(coords, cutoff)), directed=False)[0])


def min_contacts(coords: np.ndarray, cutoff: float = CUTOFF) -> int:
    """Smallest number of contacts of any node (fewer than 3 leaves a floppy, zero-energy motion)."""
    return int(contact_matrix(coords, cutoff).sum(1).min())


def prody_eigenvalues(structure: Chain | np.ndarray, cutoff: float = CUTOFF, gamma: float = GAMMA) -> np.ndarray:
    """All ``3N`` eigenvalues (ascending, float64) through ProDy: ``ANM.buildHessian`` + ``calcModes(n_modes=None, zeros=True)``.

    ``structure``: a :class:`Chain` (its ProDy atoms are used when it came from :func:`load_pdb`)
    or coordinates ``(N, 3)`` in Å.
    """
    import prody

    prody.confProDy(verbosity="none")
    if isinstance(structure, Chain):
        target = structure.meta.get("atoms", structure.coords)
    else:
        target = np.asarray(structure, dtype=np.float64)
    anm = prody.ANM("anm")
    anm.buildHessian(target, cutoff=cutoff, gamma=gamma)
    anm.calcModes(n_modes=None, zeros=True)
    return np.sort(np.asarray(anm.getEigvals(), dtype=np.float64))


# ----------------------------------------------------------------------------- spectra and fits


def count_zero_modes(eigenvalues: np.ndarray, tol: float = ZERO_TOL) -> int:
    """Number of eigenvalues below ``tol`` (ProDy's rule)."""
    return int(np.sum(np.asarray(eigenvalues) < tol))


def inverse_spectrum(eigenvalues: np.ndarray, tol: float = ZERO_TOL) -> np.ndarray:
    """σ_i = 1/λ̃_i over the non-zero modes, descending (Xie App. D.2): the spectrum of H^+. Shape (n,)."""
    lam = np.sort(np.asarray(eigenvalues, dtype=np.float64))
    lam = lam[lam >= tol]
    return 1.0 / lam  # lam ascending, so 1/lam is descending


def k_for_rule(n_modes: int, rule: str | int) -> int:
    """Number of tested values K for a spectrum of ``n_modes`` non-zero modes.

    ``rule``: ``"tenth"`` -> floor(n/10) (Xie App. D.4) or an integer K (capped at ``n_modes``;
    Table 11 uses 1000).
    """
    if rule == "tenth":
        return n_modes // 10
    if isinstance(rule, (int, np.integer)) and not isinstance(rule, bool) and rule > 0:
        return min(int(rule), n_modes)
    raise ValueError(f"K rule must be 'tenth' or a positive integer, got {rule!r}")


def rule_label(rule: str | int) -> str:
    """Human label of a K rule."""
    return "K = ⌊n/10⌋ (App. D.4)" if rule == "tenth" else f"K = {rule} (Table 11)"


@dataclass
class ProteinSpectrum:
    """ANM spectrum of one structure: eigenvalues of H (ascending, all 3N) and derived quantities."""

    id: str
    n_residues: int
    eigenvalues: np.ndarray
    zero_tol: float = ZERO_TOL
    seconds: float = 0.0
    """Wall time of the computation that produced the eigenvalues (0 when unknown)."""

    @property
    def n_zero_modes(self) -> int:
        return count_zero_modes(self.eigenvalues, self.zero_tol)

    @property
    def sigma(self) -> np.ndarray:
        """Spectrum of the pseudo-inverse H^+, descending, shape (3N - n_zero,)."""
        return inverse_spectrum(self.eigenvalues, self.zero_tol)

    @property
    def n_modes(self) -> int:
        return int(self.eigenvalues.size - self.n_zero_modes)

    def fit(self, rule: str | int = "tenth", *, of: str = "inverse") -> PowerLawFit:
        """Xie's power-law statistics of the top K of σ (``of="inverse"``) or of H itself (``of="hessian"``)."""
        values = self.sigma if of == "inverse" else np.sort(self.eigenvalues[self.eigenvalues >= self.zero_tol])[::-1]
        return power_law_fit(values, k_for_rule(values.size, rule))


def protein_spectrum(structure: Chain | str | Path, *, method: str = "prody", cutoff: float = CUTOFF,
                     gamma: float = GAMMA, device: str = "cpu") -> ProteinSpectrum:
    """The ANM spectrum of one structure (a :class:`Chain` or a local PDB path).

    ``method``: ``"prody"`` (reference path), ``"numpy"`` (:func:`anm_hessian` + ``numpy.linalg.eigvalsh``)
    or ``"batched"`` (:func:`batched_eigenvalues` on ``device``).
    """
    chain = structure if isinstance(structure, Chain) else load_pdb(structure)
    if not np.all(np.isfinite(chain.coords)):
        raise ValueError(f"{chain.id}: {int((~np.isfinite(chain.coords).all(1)).sum())} C-alpha positions are missing (NaN)")
    if method == "prody":
        ev = prody_eigenvalues(chain, cutoff, gamma)
    elif method == "numpy":
        ev = np.linalg.eigvalsh(anm_hessian(chain.coords, cutoff, gamma))
    elif method == "batched":
        ev = batched_eigenvalues([chain.coords], cutoff, gamma, device=device)[0]
    else:
        raise ValueError(f"unknown method {method!r}; valid: prody, numpy, batched")
    return ProteinSpectrum(chain.id, chain.n_residues, ev)


# ----------------------------------------------------------------------------- structure sets


def _screen(chain: Chain, min_residues: int, max_residues: int) -> tuple[str, str]:
    """(status, reason) before any computation: missing C-alpha, too small, too large, or ok."""
    bad = ~np.isfinite(chain.coords).all(axis=1) if chain.coords.ndim == 2 and chain.coords.shape[-1] == 3 else None
    if bad is None:
        return "error", f"coordinates have shape {chain.coords.shape}, expected (N, 3)"
    if bad.any():
        return "missing_ca", f"{int(bad.sum())} of {chain.n_residues} C-alpha positions are NaN"
    if chain.n_residues < min_residues:
        return "too_small", f"{chain.n_residues} residues < {min_residues}"
    if chain.n_residues > max_residues:
        return "too_large", f"{chain.n_residues} residues > {max_residues}"
    x = chain.coords
    r2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(r2, 1.0)
    if np.any(r2 == 0.0):
        return "error", "two C-alpha atoms at the same position"
    return "ok", ""


def _chunk_job(ids: list[str], coords: list[np.ndarray], cfg: dict) -> dict[str, np.ndarray]:
    """Worker: spectra of one chunk. Returns the npz payload stored in the cache (see :func:`process_chains`)."""
    import torch

    if cfg.get("worker_threads"):
        torch.set_num_threads(int(cfg["worker_threads"]))
    n = len(ids)
    status = np.array(["ok"] * n, dtype="<U16")
    reason = np.array([""] * n, dtype="<U200")
    n_res = np.array([c.shape[0] for c in coords], dtype=np.int64)
    n_zero = np.full(n, -1, dtype=np.int64)
    todo = []
    for i, c in enumerate(coords):
        st, why = _screen(Chain(ids[i], c), cfg["min_residues"], cfg["max_residues"])
        status[i], reason[i] = st, why
        if st == "ok":
            todo.append(i)
    eig_parts: list[np.ndarray] = [np.zeros(0)] * n
    if todo:
        try:
            evs = batched_eigenvalues([coords[i] for i in todo], cfg["cutoff"], cfg["gamma"], device=cfg["device"])
        except Exception as exc:  # noqa: BLE001 - fall back to one at a time to pin the culprit
            evs = []
            for i in todo:
                try:
                    evs.append(batched_eigenvalues([coords[i]], cfg["cutoff"], cfg["gamma"], device=cfg["device"])[0])
                except Exception as exc_one:  # noqa: BLE001
                    evs.append(None)
                    status[i], reason[i] = "error", f"{type(exc_one).__name__}: {exc_one}"[:200]
            del exc
        for i, ev in zip(todo, evs):
            if ev is None:
                continue
            if not np.all(np.isfinite(ev)):
                status[i], reason[i] = "error", "eigenvalues contain NaN"
                continue
            z = count_zero_modes(ev, cfg["zero_tol"])
            n_zero[i] = z
            if z > RIGID_BODY_MODES:
                parts = contact_components(coords[i], cfg["cutoff"])
                if parts > 1:
                    status[i] = "disconnected"
                    reason[i] = f"{z} zero modes (> {RIGID_BODY_MODES}): the contact network has {parts} parts"
                else:
                    status[i] = "extra_zero_modes"
                    reason[i] = (f"{z} zero modes (> {RIGID_BODY_MODES}) in a connected network: under-constrained "
                                 f"nodes (fewest contacts: {min_contacts(coords[i], cfg['cutoff'])})")
            elif z < RIGID_BODY_MODES:
                status[i], reason[i] = "error", f"only {z} zero modes (< {RIGID_BODY_MODES})"
            eig_parts[i] = ev
    lengths = np.array([p.size for p in eig_parts], dtype=np.int64)
    return {"ids": np.array(ids, dtype=str), "n_residues": n_res, "n_zero_modes": n_zero, "status": status,
            "reason": reason, "lengths": lengths,
            "eigenvalues": np.concatenate(eig_parts) if lengths.sum() else np.zeros(0)}


def _coords_digest(coords: Iterable[np.ndarray]) -> str:
    h = hashlib.sha256()
    for c in coords:
        a = np.ascontiguousarray(c, dtype=np.float64)
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


@dataclass
class SetResult:
    """Per-chain outcome of :func:`process_chains`.

    ``rows``: one dict per input chain, in input order: ``id``, ``n_residues``, ``dof`` (3N),
    ``n_zero_modes`` (-1 when not computed), ``status``, ``reason``. ``spectra``: id -> all 3N
    eigenvalues of H (ascending) for the chains with status ``ok``.
    """

    rows: list[dict]
    spectra: dict[str, np.ndarray]
    config: dict
    seconds: float = 0.0
    computed_chunks: int = 0
    cached_chunks: int = 0

    def counts(self) -> dict[str, int]:
        """Number of chains per status (every status listed, zeros included) and ``total``."""
        out = {s: 0 for s in STATUSES}
        for r in self.rows:
            out[r["status"]] = out.get(r["status"], 0) + 1
        out["total"] = len(self.rows)
        return out

    def failures(self) -> list[dict]:
        """Rows whose status is not ``ok`` (each with its reason)."""
        return [r for r in self.rows if r["status"] != "ok"]

    def fits(self, rule: str | int = "tenth") -> list[dict]:
        """Rows of the ``ok`` chains with the power-law fit of σ = 1/λ̃ for K rule ``rule`` added.

        Added keys: ``k``, ``beta``, ``sigma``, ``s`` (= ŝ_MLE), ``s_ols``, ``d_ks``, ``d_c``,
        ``ratio`` (d_ks/d_c), ``accepted``; a chain whose fit fails gets ``status = "fit_failed"``
        and NaNs (it stays in the list).
        """
        out = []
        for r in self.rows:
            if r["status"] != "ok":
                continue
            row = dict(r)
            spec = ProteinSpectrum(r["id"], r["n_residues"], self.spectra[r["id"]], self.config["zero_tol"])
            try:
                f = spec.fit(rule)
                row.update(k=f.k, beta=f.beta, sigma=f.sigma, s=f.s_mle, s_ols=f.s_ols, d_ks=f.d_ks, d_c=f.d_c,
                           ratio=f.ratio, accepted=bool(f.accepted))
            except (SpectrumError, ValueError) as exc:
                row.update(status="fit_failed", reason=str(exc)[:200], k=0, beta=math.nan, sigma=math.nan,
                           s=math.nan, s_ols=math.nan, d_ks=math.nan, d_c=math.nan, ratio=math.nan, accepted=False)
            out.append(row)
        return out

    def to_csv(self, path: str | Path, rule: str | int = "tenth") -> Path:
        """Write every chain (failures included) with its fit for ``rule`` to a CSV file."""
        fitted = {r["id"]: r for r in self.fits(rule)}
        cols = ["id", "n_residues", "dof", "n_zero_modes", "status", "reason", "k", "beta", "sigma", "s", "s_ols",
                "d_ks", "d_c", "ratio", "accepted"]
        path = Path(path)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in self.rows:
            w.writerow(fitted.get(r["id"], r))
        from .cache import atomic_write_text

        atomic_write_text(path, buf.getvalue())
        return path


def process_chains(chains: Sequence[Chain], *, cutoff: float = CUTOFF, gamma: float = GAMMA,
                   jobs: int | None = None, chunk_size: int = 48, device: str = "cpu",
                   min_residues: int = 100, max_residues: int = 2000, zero_tol: float = ZERO_TOL,
                   cache: Any = None, progress: bool = True, desc: str = "ANM spectra",
                   start_method: str = "spawn") -> SetResult:
    """ANM spectra of many structures, in parallel, resumable, every failure counted.

    ``chains``: :class:`Chain` objects (coordinates may contain NaN: reported as ``missing_ca``).
    Chains are sorted by size and cut into chunks of ``chunk_size``; each chunk's spectra are one
    cache entry (namespace ``anm_chunks``; key = the settings plus a SHA-256 of the chunk's ids and
    coordinates), so an interrupted run resumes where it stopped. ``jobs``: worker processes
    (default: all cores; 1 = in this process; a CUDA ``device`` always runs in this process).
    ``cache``: a :class:`~dlspectra.cache.Cache`, ``None`` for the default one or ``False`` for
    none. ``min_residues`` / ``max_residues``: the paper's 100 <= N_AA <= 2000. ``start_method``:
    how workers start (``"spawn"``: safe everywhere, each worker imports torch, a few seconds;
    ``"fork"`` is faster on Linux but unsafe after the parent used CUDA or threaded OpenMP).
    Returns a :class:`SetResult` (rows in input order).
    """
    from .progress import tqdm

    from .cache import Cache

    if cache is None:
        cache = Cache()
    jobs = (os.cpu_count() or 1) if jobs is None else max(1, int(jobs))
    if str(device).startswith("cuda"):
        jobs = 1
    settings = {"version": SET_VERSION, "cutoff": float(cutoff), "gamma": float(gamma), "zero_tol": float(zero_tol),
                "min_residues": int(min_residues), "max_residues": int(max_residues)}
    order = sorted(range(len(chains)), key=lambda i: (chains[i].n_residues, chains[i].id))
    chunks = [order[i:i + chunk_size] for i in range(0, len(order), chunk_size)]
    worker_cfg = dict(settings, device=str(device), worker_threads=1 if jobs > 1 else 0)

    def key_of(chunk: list[int]) -> dict:
        return dict(settings, ids=[chains[i].id for i in chunk],
                    coords_sha256=_coords_digest(chains[i].coords for i in chunk))

    t0 = time.perf_counter()
    payloads: dict[int, dict] = {}
    pending = []
    for c, chunk in enumerate(chunks):
        hit = cache.load("anm_chunks", key_of(chunk), "npz") if cache else None
        if hit is not None:
            payloads[c] = hit
        else:
            pending.append(c)
    bar = tqdm(total=len(chains), desc=desc, disable=not progress or not pending, mininterval=1.0, file=sys.stderr)
    bar.update(sum(len(chunks[c]) for c in payloads))

    def store(c: int, payload: dict) -> None:
        if cache:
            cache.save("anm_chunks", key_of(chunks[c]), "npz", payload)
        payloads[c] = payload
        bar.update(len(chunks[c]))

    def args(c: int) -> tuple:
        return ([chains[i].id for i in chunks[c]], [chains[i].coords for i in chunks[c]], worker_cfg)

    if jobs == 1 or len(pending) <= 1:
        for c in pending:
            store(c, _chunk_job(*args(c)))
    else:
        import multiprocessing as mp

        with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=mp.get_context(start_method)) as pool:
            futures = {pool.submit(_chunk_job, *args(c)): c for c in pending}
            from concurrent.futures import as_completed

            for fut in as_completed(futures):
                store(futures[fut], fut.result())
    bar.close()

    by_id: dict[str, dict] = {}
    spectra: dict[str, np.ndarray] = {}
    for payload in payloads.values():
        offsets = np.concatenate([[0], np.cumsum(payload["lengths"])])
        for j, cid in enumerate(payload["ids"].tolist()):
            st = str(payload["status"][j])
            by_id[cid] = {"id": cid, "n_residues": int(payload["n_residues"][j]),
                          "dof": 3 * int(payload["n_residues"][j]), "n_zero_modes": int(payload["n_zero_modes"][j]),
                          "status": st, "reason": str(payload["reason"][j])}
            if st == "ok":
                spectra[cid] = payload["eigenvalues"][offsets[j]:offsets[j + 1]]
    rows = [dict(by_id[ch.id], **{k: v for k, v in ch.meta.items() if k in ("pdb_id", "chain")}) for ch in chains]
    return SetResult(rows, spectra, settings, time.perf_counter() - t0,
                     computed_chunks=len(pending), cached_chunks=len(chunks) - len(pending))


# ----------------------------------------------------------------------------- summaries


def size_bin(dof: int, bins: Sequence[tuple[int, int]] = SIZE_BINS) -> int:
    """Index of the 3N bin holding ``dof`` (lower bin on a shared edge), or -1."""
    for b, (lo, hi) in enumerate(bins):
        if (lo <= dof <= hi) if b == 0 else (lo < dof <= hi):
            return b
    return -1


def summarize_by_size(fit_rows: Sequence[dict], bins: Sequence[tuple[int, int]] = SIZE_BINS) -> list[dict]:
    """Per 3N bin and overall (last row, ``bin = (bins[0][0], bins[-1][1])``): ``count``, ``accepted``
    (fraction with d_ks < d_c), ``mean_beta``, ``sd_beta``, ``mean_s``, ``sd_s``, ``mean_ratio``,
    ``max_ratio``. Statistics over chains with a finite fit; standard deviations across chains
    (ddof = 1; NaN when fewer than two chains).
    """
    rows = [r for r in fit_rows if r.get("status") == "ok" and np.isfinite(r.get("beta", np.nan))]
    groups = [[r for r in rows if size_bin(r["dof"], bins) == b] for b in range(len(bins))]
    lo, hi = bins[0][0], bins[-1][1]
    groups.append([r for r in rows if lo <= r["dof"] <= hi])
    labels = list(bins) + [(lo, hi)]
    out = []
    for (blo, bhi), g in zip(labels, groups):
        def col(name: str) -> np.ndarray:
            return np.array([r[name] for r in g], dtype=float)

        def sd(a: np.ndarray) -> float:
            return float(np.std(a, ddof=1)) if a.size > 1 else math.nan

        def mean(a: np.ndarray) -> float:
            return float(np.mean(a)) if a.size else math.nan

        out.append({"bin": (blo, bhi), "count": len(g),
                    "accepted": mean(np.array([r["accepted"] for r in g], dtype=float)),
                    "mean_beta": mean(col("beta")), "sd_beta": sd(col("beta")),
                    "mean_s": mean(col("s")), "sd_s": sd(col("s")),
                    "mean_ratio": mean(col("ratio")), "max_ratio": float(col("ratio").max()) if g else math.nan})
    return out


# ----------------------------------------------------------------------------- page helpers (Xie's protein pages)

PAPER_4HHB = {"k": 1000, "d_ks": 0.0145, "d_c": 0.0430, "accepted": True, "beta": 2.008, "sigma": 0.032, "s": 0.992}
"""Xie Table 11 (= Figs. 8/9)."""
PAPER_SET = {
    "n_proteins": 9166,
    "beta": {"mean": [1.976, 1.973, 2.004, 1.975], "sd": [0.143, 0.103, 0.080, 0.128]},
    "s": {"mean": [1.050, 1.041, 1.002, 1.045], "sd": [0.175, 0.119, 0.084, 0.155]},
    "ratio": {"mean": [0.304, 0.292, 0.317, 0.300]},
    "accepted": 1.0,
}
"""Xie Tables 4/12/13 per 3N bin [300,1000], [1000,3000], [3000,6000] and overall [300,6000]."""


def structure_spectra(p: dict, *, cache: Any = None) -> dict[str, ProteinSpectrum]:
    """4HHB's ANM spectrum through ProDy and through the batched path, cached (shared by fig08/fig09/tab11).

    ``p``: a page preset with a ``structure`` entry (see ``presets/xie_protein.py``). Returns
    ``{"prody": ..., "batched": ...}``. Raises ``DataMissingError`` when the PDB file is absent.
    """
    from .cache import Cache
    from .data import require_file, sha256_file

    s = p["structure"]
    path = require_file(s["pdb"])
    cache = Cache() if cache is None else cache
    chain: list[Chain] = []

    def get_chain() -> Chain:
        if not chain:
            chain.append(load_pdb(path, name=s["protein"]))
        return chain[0]

    out = {}
    for method in ("prody", "batched"):
        cfg = {"pdb_sha256": sha256_file(path), "method": method, **s["anm"], "version": SET_VERSION}

        def compute(method: str = method) -> dict:
            t0 = time.perf_counter()
            spec = protein_spectrum(get_chain(), method=method, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"])
            return {"eigenvalues": spec.eigenvalues, "n_residues": np.array(spec.n_residues),
                    "seconds": np.array(time.perf_counter() - t0)}

        payload = cache.get_or_compute("anm_structure", cfg, compute, kind="npz")
        out[method] = ProteinSpectrum(s["protein"], int(payload["n_residues"]), payload["eigenvalues"],
                                      seconds=float(payload["seconds"]))
    return out


def protein_set(p: dict, *, which: str = "set", device: str = "cpu", progress: bool = True,
                cache: Any = None) -> SetResult:
    """The large-set computation of a page preset (fig10, tab04, tab12, tab13 share it).

    ``which="set"``: single chains (``p["set"]``); ``which="entries"``: whole PDB entries, chains
    joined as for 4HHB (``p["entries"]``, see :func:`load_ca_entries`). Loads the archive
    (``DataMissingError`` when absent), takes the seeded subset and runs :func:`process_chains` with
    the preset's settings; identical presets give identical cache keys.
    """
    s = p[which]
    if which == "entries":
        chains = load_ca_entries(s["archive"], qualifying_only=s["qualifying_only"], n=s["n_chains"], seed=s["seed"],
                                 max_residues=s.get("subset_max_residues"))
        res = process_chains(chains, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"], jobs=s["jobs"],
                             chunk_size=s["chunk_size"], device=str(device), min_residues=s["min_residues"],
                             max_residues=s["max_residues"], cache=cache, progress=progress, desc="ANM spectra (entries)")
        res.config["archive"] = s["archive"]
        return res
    chains = load_ca_archive(s["archive"], qualifying_only=s["qualifying_only"], n=s["n_chains"], seed=s["seed"])
    res = process_chains(chains, cutoff=s["anm"]["cutoff"], gamma=s["anm"]["gamma"], jobs=s["jobs"],
                         chunk_size=s["chunk_size"], device=str(device), min_residues=s["min_residues"],
                         max_residues=s["max_residues"], cache=cache, progress=progress)
    res.config["archive"] = s["archive"]
    res.config["n_available"] = len(load_ca_archive(s["archive"], qualifying_only=s["qualifying_only"])) \
        if s["n_chains"] is not None else len(chains)
    return res


READINGS = {"chains": "single chains", "entries": "whole PDB entries (chains joined, like 4HHB)"}
"""The two readings of the paper's "protein molecule" used on the set pages."""


def protein_sets(p: dict, *, device: str = "cpu", progress: bool = True, cache: Any = None) -> dict[str, SetResult]:
    """Both readings of the large set: ``{"chains": ..., "entries": ...}`` (see :func:`protein_set`)."""
    return {"chains": protein_set(p, which="set", device=device, progress=progress, cache=cache),
            "entries": protein_set(p, which="entries", device=device, progress=progress, cache=cache)}


def structure_setup_rows(p: dict) -> list[list]:
    """Setup table rows (paper vs this run) of the 4HHB pages."""
    s = p["structure"]
    return [["structure", "PDB 4HHB (deoxyhaemoglobin, 4 chains)", f"{s['protein']} from the data folder ({s['pdb']})"],
            ["nodes", "one per residue (574)", "C-alpha atoms, all chains joined"],
            ["model", "ANM, r_C = 9.0 Å, κ = 1", f"ANM, cutoff {s['anm']['cutoff']} Å, gamma {s['anm']['gamma']}"],
            ["spectrum fitted", "σ_i = 1/λ̃_i of H (App. D.2)", "σ_i = 1/λ̃_i over the non-zero modes (H⁺)"],
            ["K (tested values)", "1000 (Table 11); 'top 1/10' (App. D.4)",
             ", ".join(rule_label(r) for r in s["k_rules"])],
            ["eigensolver", "not stated", "ProDy calcModes (all modes); checked against our batched torch path"]]


def set_setup_rows(p: dict) -> list[list]:
    """Setup table rows (paper vs this run) of the large-set pages."""
    s = p["set"]
    n = "all qualifying chains (747)" if s["n_chains"] is None else f"seeded subset of {s['n_chains']} of the 747 (seed {s['seed']})"
    return [["structures", "9,166 PDB entries (list not published)", f"{n} chains of the data folder's `{s['archive']}` archive"],
            ["selection", "X-ray ≤ 2.0 Å, < 30 % identity, 100 ≤ N_AA ≤ 2000, exactly 6 zero modes",
             "in the PISCES list pc30 / ≤ 2.0 Å / R ≤ 0.25 (2018), "
             f"{s['min_residues']} ≤ N ≤ {s['max_residues']}, exactly 6 zero modes (others counted, excluded)"],
            ["model", "ANM, r_C = 9.0 Å, κ = 1", f"C-alpha ANM, cutoff {s['anm']['cutoff']} Å, gamma {s['anm']['gamma']}"],
            ["spectrum fitted", "σ_i = 1/λ̃_i (App. D.2)", "σ_i = 1/λ̃_i over the non-zero modes (H⁺)"],
            ["K (tested values)", "λ_cutoff = top 1/10 (App. D.4)",
             ", ".join(rule_label(r) for r in s["k_rules"]) + " (K capped at n)"],
            ["eigensolver", "not stated", f"batched torch eigvalsh (float64), jobs = {s['jobs'] or 'all cores'}"]]


def entries_setup_rows(p: dict) -> list[list]:
    """Setup table rows of the second reading: whole PDB entries (chains joined, like 4HHB)."""
    s = p["entries"]
    n = "all" if s["n_chains"] is None else f"a seeded subset of {s['n_chains']} (seed {s['seed']})"
    cap = "" if s.get("subset_max_residues") is None else f" among those with ≤ {s['subset_max_residues']} residues"
    return [["structures", "9,166 PDB entries", f"{n}{cap} of the 730 `{s['archive']}` entries with a qualifying chain"],
            ["nodes", "residues of the protein molecule", "C-alpha atoms of all the entry's chains in the archive, joined"],
            ["selection", "100 ≤ N_AA ≤ 2000, exactly 6 zero modes",
             f"{s['min_residues']} ≤ N ≤ {s['max_residues']}, exactly 6 zero modes (others counted, excluded)"],
            ["K", "top 1/10", ", ".join(rule_label(r) for r in s["k_rules"]) + " (K capped at n)"]]


def fit_markdown(rows: Sequence[tuple[str, PowerLawFit | dict]], paper: dict | None = None) -> str:
    """Markdown table of Xie's KS statistics (Table 11 layout): one row per (label, fit), paper first."""
    from .results import markdown_table

    head = ["", "K", "d_ks", "d_c", "power law", "β̂ ± σ", "ŝ (= 1/(β̂−1))", "ŝ_OLS"]
    body = []
    if paper is not None:
        body.append(["paper (Table 11)", str(paper["k"]), f"{paper['d_ks']:.4f}", f"{paper['d_c']:.4f}",
                     "Yes" if paper["accepted"] else "No", f"{paper['beta']:.3f} ± {paper['sigma']:.3f}",
                     f"{paper['s']:.3f}", "—"])
    for label, f in rows:
        body.append([label, str(f.k), f"{f.d_ks:.4f}", f"{f.d_c:.4f}", "Yes" if f.accepted else "No",
                     f"{f.beta:.3f} ± {f.sigma:.3f}", f"{f.s_mle:.3f}", f"{f.s_ols:.3f}"])
    return markdown_table(head, body)


def bin_label(b: tuple[int, int]) -> str:
    return f"{b[0]} ≤ 3N ≤ {b[1]}"


def summary_markdown(summary: Sequence[dict], *, what: Sequence[str] = ("beta", "s", "ratio"),
                     paper: dict | None = PAPER_SET) -> str:
    """Markdown table in Table 13's layout: rows = statistic (paper and ours), columns = 3N bins + overall."""
    from .results import markdown_table

    head = ["", *[bin_label(r["bin"]) for r in summary]]
    body = [["structures (this run)", *[str(r["count"]) for r in summary]]]
    names = {"beta": "β̂", "s": "ŝ", "ratio": "d_ks/d_c", "accepted": "fraction accepted"}
    for w in what:
        if paper is not None and isinstance(paper.get(w), dict):
            pm = paper[w]["mean"]
            sd = paper[w].get("sd")
            body.append([f"{names[w]} paper", *[f"{pm[i]:.3f}" + (f" ± {sd[i]:.3f}" if sd else "") for i in range(len(pm))]])
        cells = []
        for r in summary:
            if r["count"] == 0:
                cells.append("—")
            elif w == "ratio":
                cells.append(f"{r['mean_ratio']:.3f} (max {r['max_ratio']:.3f})")
            elif w == "accepted":
                cells.append(f"{r['accepted']:.3f}")
            else:
                m, sd = r[f"mean_{w}"], r[f"sd_{w}"]
                cells.append(f"{m:.3f}" + (f" ± {sd:.3f}" if np.isfinite(sd) else ""))
        body.append([f"{names[w]} this run", *cells])
    return markdown_table(head, body)


def counts_markdown(res: SetResult) -> str:
    """Markdown table: how many chains per status, and the reasons of the failures (grouped)."""
    from collections import Counter

    from .results import markdown_table

    c = res.counts()
    body = [[k, str(v)] for k, v in c.items() if k != "total" and (v or k == "ok")]
    body.append(["total", str(c["total"])])
    text = markdown_table(["status", "structures"], body)
    def group(r: dict) -> str:
        if r["status"] == "extra_zero_modes":
            return "connected, > 6 zero modes, fewest contacts of a node: " + r["reason"].rsplit(":", 1)[-1].strip(" )")
        if r["status"] == "disconnected":
            return "disconnected: " + r["reason"].rsplit("has", 1)[-1].strip()
        return f"{r['status']}: {r['reason']}"

    fails = Counter(group(r) for r in res.failures())
    if fails:
        text += "\n\nExcluded structures by reason (most common first):\n\n" + markdown_table(
            ["reason", "structures"], [[k, str(v)] for k, v in fails.most_common(12)])
    return text


def plot_inverse_spectrum(ax: Any, spec: ProteinSpectrum, rules: Sequence[str | int] = ("tenth", 1000)) -> None:
    """Xie Fig. 8b: normalised σ̂_i = σ_i/σ_1 against i (log-log), with the fitted line of each K rule."""
    from .plotting import rank_plot

    fits = [spec.fit(r) for r in rules]
    rank_plot(ax, spec.sigma, label=f"{spec.id}: σ̂_i = σ_i/σ_1 (n = {spec.n_modes})", fit=fits[0], normalise=True,
              color="C0")
    sigma1 = spec.sigma[0]
    for j, (r, f) in enumerate(zip(rules[1:], fits[1:])):
        kk = np.arange(1, f.k + 1)
        ax.loglog(kk, f.lambda_max / sigma1 * kk ** (-f.s_mle), "--", lw=1.2, color=f"C{j + 1}",
                  label=f"fit K = {f.k}: ŝ = {f.s_mle:.3f}")
    ax.set_xlabel("rank i")
    ax.set_ylabel("σ̂_i = σ_i / σ_1")
    ax.legend(fontsize=8)


# ----------------------------------------------------------------------------- fetching (network only)

PDB_DOWNLOAD = "https://files.rcsb.org/download/{id}.pdb"


def read_pisces_list(path: str | Path) -> list[dict]:
    """Rows of a PISCES ``cullpdb`` list: ``id`` (e.g. ``1A2PC``), ``pdb_id``, ``chain``, ``length``,
    ``method``, ``resolution``, ``r_factor``, ``free_r``."""
    rows = []
    for line in Path(path).read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) < 6:
            continue
        cid = parts[0]
        rows.append({"id": cid, "pdb_id": cid[:4].upper(), "chain": cid[4:], "length": int(parts[1]),
                     "method": parts[2], "resolution": float(parts[3]), "r_factor": float(parts[4]),
                     "free_r": parts[5]})
    return rows


def _check_network(url: str = "https://files.rcsb.org/", timeout: float = 5.0) -> None:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout).close()
    except urllib.error.HTTPError:
        return  # the server answered (even with an error status): the network is there
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(
            f"cannot reach the PDB ({url}): {exc}. Fetching structures needs network access; on an "
            f"offline machine use the archives of the data folder instead (pdb/pdownb, pdb/ts50; "
            f"dlspectra.anm.load_ca_archive)") from exc


def _ca_from_pdb_text(text: str, chain: str) -> np.ndarray:
    """C-alpha coordinates ``(N, 3)`` of ``chain`` in a PDB-format text: ATOM records, first model,
    altloc blank or A, first CA per residue (the convention of the data README)."""
    seen, out = set(), []
    for line in text.splitlines():
        if line.startswith("ENDMDL"):
            break
        if not line.startswith("ATOM") or line[12:16].strip() != "CA" or line[21] != chain:
            continue
        if line[16] not in (" ", "A"):
            continue
        res = (line[22:27])
        if res in seen:
            continue
        seen.add(res)
        out.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
    return np.asarray(out, dtype=np.float32).reshape(-1, 3)


def fetch_pisces_chains(list_path: str | Path, out_dir: str | Path, *, limit: int | None = None,
                        min_length: int = 100, max_length: int = 2000, max_resolution: float = 2.0,
                        timeout: float = 30.0, progress: bool = True,
                        opener: Callable[[str, float], bytes] | None = None) -> tuple[Path, Path]:
    """Download the chains of a PISCES list from the PDB and store them as a C-alpha archive.

    Writes ``<out_dir>/pisces_ca.npz`` (key ``PDBID_CHAIN`` -> float32 ``(N, 3)`` Å) and
    ``<out_dir>/pisces_ca_index.csv`` (``key, pdb_id, chain, n_residues, pisces_length,
    pisces_method, pisces_resolution_A, pisces_R, meets_all_criteria, status``), the format of
    ``pdb/pdownb`` (read them with :func:`load_ca_files`). Chains of X-ray entries with
    ``min_length <= length <= max_length`` and resolution <= ``max_resolution`` are fetched
    (``limit``: the first that many). Downloaded entries are kept in ``<out_dir>/raw/`` so a rerun
    resumes. Raises :class:`FetchError` with a clear message when the PDB cannot be reached.
    Entries too large for the PDB format (only mmCIF) are listed with status ``no_pdb_format``.
    """
    import urllib.error
    import urllib.request

    from .progress import tqdm

    from .cache import atomic_write_bytes

    rows = [r for r in read_pisces_list(list_path) if r["method"].upper().startswith("XRAY")
            and min_length <= r["length"] <= max_length and r["resolution"] <= max_resolution]
    if limit is not None:
        rows = rows[:limit]
    def default_open(url: str, t: float) -> bytes:
        with urllib.request.urlopen(url, timeout=t) as resp:
            return resp.read()

    fetch = opener or default_open
    if opener is None:
        _check_network()
    out_dir = Path(out_dir)
    raw = out_dir / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    index = []
    for r in tqdm(rows, desc="fetch PDB", disable=not progress, file=sys.stderr):
        entry = raw / f"{r['pdb_id'].lower()}.pdb"
        status = "ok"
        if not entry.exists():
            try:
                atomic_write_bytes(entry, fetch(PDB_DOWNLOAD.format(id=r["pdb_id"]), timeout))
            except urllib.error.HTTPError as exc:
                status = "no_pdb_format" if exc.code == 404 else f"http_{exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                raise FetchError(f"download of {r['pdb_id']} failed: {exc}; rerun to resume "
                                 f"({len(list(raw.glob('*.pdb')))} entries kept in {raw})") from exc
        key = f"{r['pdb_id']}_{r['chain']}"
        ca = _ca_from_pdb_text(entry.read_text(errors="replace"), r["chain"]) if status == "ok" else np.zeros((0, 3))
        if status == "ok" and ca.shape[0] == 0:
            status = "no_calpha"
        if status == "ok":
            arrays[key] = ca
        index.append({"key": key, "pdb_id": r["pdb_id"], "chain": r["chain"], "n_residues": ca.shape[0],
                      "pisces_length": r["length"], "pisces_method": r["method"],
                      "pisces_resolution_A": r["resolution"], "pisces_R": r["r_factor"],
                      "meets_all_criteria": int(status == "ok" and min_length <= ca.shape[0] <= max_length),
                      "status": status})
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    npz_path, csv_path = out_dir / "pisces_ca.npz", out_dir / "pisces_ca_index.csv"
    atomic_write_bytes(npz_path, buf.getvalue())
    text = io.StringIO()
    w = csv.DictWriter(text, fieldnames=list(index[0]) if index else ["key"])
    w.writeheader()
    w.writerows(index)
    atomic_write_bytes(csv_path, text.getvalue().encode())
    return npz_path, csv_path


# ----------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dlspectra.anm fetch LIST OUT [--limit N]`` or ``spectrum FILE.pdb [--k-rule tenth|1000]``."""
    p = argparse.ArgumentParser(prog="python -m dlspectra.anm", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="download the chains of a PISCES list into a C-alpha archive (needs network)")
    f.add_argument("list_path")
    f.add_argument("out_dir")
    f.add_argument("--limit", type=int, default=None)
    f.add_argument("--max-resolution", type=float, default=2.0)
    s = sub.add_parser("spectrum", help="ANM inverse spectrum and power-law fit of a local PDB file")
    s.add_argument("pdb_file")
    s.add_argument("--k-rule", default="tenth")
    a = p.parse_args(argv)
    if a.cmd == "fetch":
        try:
            npz, idx = fetch_pisces_chains(a.list_path, a.out_dir, limit=a.limit, max_resolution=a.max_resolution)
        except FetchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {npz} and {idx}")
        return 0
    rule: str | int = a.k_rule if a.k_rule == "tenth" else int(a.k_rule)
    spec = protein_spectrum(a.pdb_file)
    fit = spec.fit(rule)
    print(f"{spec.id}: N = {spec.n_residues}, zero modes = {spec.n_zero_modes}, K = {fit.k}, beta = {fit.beta:.4f} "
          f"± {fit.sigma:.4f}, s = {fit.s_mle:.4f}, d_ks = {fit.d_ks:.4f}, d_c = {fit.d_c:.4f}, "
          f"power law {'accepted' if fit.accepted else 'rejected'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
