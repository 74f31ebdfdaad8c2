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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlspectra.fits import PowerLawFit, power_law_fit

from .structures import Chain, load_pdb

CUTOFF = 9.0
"""Xie App. D.1: r_C = 9.0 Å."""
GAMMA = 1.0
"""Homogeneous spring constant κ = 1 (ProDy's ``gamma``)."""
ZERO_TOL = 1e-6
"""Eigenvalues below this (units gamma/Å²) count as zero modes: ProDy's ``ZERO`` (utilities.eigtools)."""
RIGID_BODY_MODES = 6


# ----------------------------------------------------------------------------- the Hessian


def anm_hessian(coords: np.ndarray, cutoff: float = CUTOFF, gamma: float = GAMMA) -> np.ndarray:
    """Dense ANM Hessian of C-alpha coordinates ``(N, 3)`` (Å): ``(3N, 3N)`` float64, units gamma/Å².

    Off-diagonal 3x3 blocks ``-gamma d d^T / |d|^2`` for each contact (``|d| <= cutoff``), written from
    the contact list (a C-alpha network has ~10-20 contacts per residue, so the pair blocks are few);
    the diagonal blocks are minus their row sums. Memory: the ``(3N)^2`` result and ``N^2`` distances.
    Raises ``ValueError`` on NaN coordinates or two atoms at the same position.
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
    i, j = np.nonzero(contact)
    if np.any(r2[i, j] == 0.0):
        raise ValueError("two atoms share the same position")
    dij = d[i, j]                                          # (pairs, 3)
    blocks = -(gamma / r2[i, j])[:, None, None] * dij[:, :, None] * dij[:, None, :]   # (pairs, 3, 3)
    h = np.zeros((n, 3, n, 3))
    h[i, :, j, :] = blocks
    diag = np.zeros((n, 3, 3))
    np.add.at(diag, i, -blocks)
    idx = np.arange(n)
    h[idx, :, idx, :] = diag
    return h.reshape(3 * n, 3 * n)


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
                        threads: int | None = 1, method: str = "auto") -> list[np.ndarray]:
    """All ``3N`` eigenvalues (ascending, float64, units gamma/Å²) of the ANM Hessian of each structure.

    ``coords_list``: finite ``(N_b, 3)`` arrays. Two paths (``method``):

    * ``"lapack"`` (the default on the CPU): each structure's :func:`anm_hessian` diagonalised by
      NumPy's LAPACK (eigenvalues only, ``numpy.linalg.eigvalsh``), one at a time. Measured on this
      CPU, NumPy's LAPACK solves a 384 x 384 ANM Hessian in 7.5 ms against torch's 12.5 ms, and the
      contact-list build is cheaper than padded dense blocks, so batching gains nothing here.
      ``threads``: BLAS threads during the call (default 1, through ``threadpoolctl``: the
      eigenvalues are then bit-identical whatever the process's thread count); ``None`` leaves them.
    * ``"padded"`` (the default on a GPU): structures are grouped by N rounded up to a multiple of
      ``bucket`` residues (default 32), zero-padded within the group (padding removed exactly, see
      :func:`_hessians_torch`) and diagonalised together with ``torch.linalg.eigvalsh`` in float64
      on ``device``; a group is split so that its 3x3-block tensor stays under ``max_bytes``.
      ``threads``: torch CPU threads during the call (default 1); ``None`` leaves torch's setting.
      Between the two paths the eigenvalues differ at rounding (~1e-13).
    """
    import torch

    on_cpu = torch.device(device).type == "cpu"
    if method == "auto":
        method = "lapack" if on_cpu else "padded"
    if method == "lapack":
        if not on_cpu:
            raise ValueError(f"method 'lapack' runs on the CPU; device {device!r} needs method 'padded'")
        from threadpoolctl import threadpool_limits

        # a fixed BLAS thread count: OpenBLAS's reductions round differently with 1 and 2 threads, and the
        # set's spectra are cached by their settings alone (a serial run and Dask workers share them)
        with threadpool_limits(limits=int(threads) if threads else None, user_api="blas"):
            return [np.linalg.eigvalsh(anm_hessian(c, cutoff, gamma)) for c in coords_list]
    if method != "padded":
        raise ValueError(f"method must be 'auto', 'lapack' or 'padded', got {method!r}")
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


