"""Structure sets: ANM spectra of thousands of chains, screened, in parallel, resumable, every chain accounted for.

Structure sets go through :func:`process_chains`: chunks of chains in parallel worker processes
(a local process pool, or the tasks of a Dask client: :func:`dlspectra.cluster.get_client`), a tqdm progress bar, one cache entry per chunk (resumable), and every chain accounted for in the
result table with a status (``ok``, ``missing_ca``, ``too_small``, ``too_large``,
``disconnected``, ``extra_zero_modes``, ``error``; see :data:`STATUSES`) and a reason. Nothing is dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dlspectra.errors import SpectrumError

from .anm import (CUTOFF, GAMMA, RIGID_BODY_MODES, ZERO_TOL, ProteinSpectrum, batched_eigenvalues, contact_components,
                  count_zero_modes, min_contacts)
from .structures import Chain

SIZE_BINS: tuple[tuple[int, int], ...] = ((300, 1000), (1000, 3000), (3000, 6000))
"""Xie Tables 4/12/13: bins of 3N (degrees of freedom). Edges shared by two bins go to the lower one."""
SET_VERSION = 5
"""Bumped when the per-chunk cache payload changes meaning (5: eigenvalues by NumPy's LAPACK on the CPU with one BLAS thread,
which differ from the torch path's at ~1e-13)."""

STATUSES = ("ok", "missing_ca", "too_small", "too_large", "disconnected", "extra_zero_modes", "error")
"""Per-chain outcomes of :func:`process_chains`. ``disconnected``: the contact network has several
parts (6 zero modes each). ``extra_zero_modes``: connected, but more than 6 zero modes because
some nodes are under-constrained (e.g. a terminal residue with only two contacts can swing freely).
Both are excluded as the paper excludes them ("no zero eigenvalues except for the six modes", D.4)."""


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


def _cluster_chunk_task(ids: list[str], coords: list[np.ndarray], cfg: dict, cache: Any,
                        key: dict) -> dict[str, np.ndarray]:
    """Dask task: one chunk on a worker, on that worker's device, through the (shared) cache.

    The entry is computed once even when two runs ask for it at the same time
    (:meth:`~dlspectra.cache.Cache.get_or_compute` holds its lock while computing); ``cache`` None
    computes without storing.
    """
    from dlspectra.cluster import set_threads, worker_device

    set_threads()  # the worker's budget ($DLSPECTRA_THREADS, set by get_client)
    cfg = dict(cfg, device=worker_device(cfg["device"]), worker_threads=0)
    if cache is None:
        return _chunk_job(ids, coords, cfg)
    return cache.get_or_compute("anm_chunks", key, lambda: _chunk_job(ids, coords, cfg), "npz")


def _lost_chunk(ids: list[str], coords: list[np.ndarray], why: str) -> dict[str, np.ndarray]:
    """Payload of a chunk whose task failed as a whole (e.g. its worker died too often): every chain
    ``error`` with the reason. Never cached, so a rerun computes it again."""
    n = len(ids)
    return {"ids": np.array(ids, dtype=str), "n_residues": np.array([c.shape[0] for c in coords], dtype=np.int64),
            "n_zero_modes": np.full(n, -1, dtype=np.int64), "status": np.array(["error"] * n, dtype="<U16"),
            "reason": np.array([why[:200]] * n, dtype="<U200"), "lengths": np.zeros(n, dtype=np.int64),
            "eigenvalues": np.zeros(0)}


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
        from dlspectra.cache import atomic_write_text

        atomic_write_text(path, buf.getvalue())
        return path


def process_chains(chains: Sequence[Chain], *, cutoff: float = CUTOFF, gamma: float = GAMMA,
                   jobs: int | None = None, chunk_size: int = 48, device: str = "cpu",
                   min_residues: int = 100, max_residues: int = 2000, zero_tol: float = ZERO_TOL,
                   cache: Any = None, progress: bool = True, desc: str = "ANM spectra",
                   start_method: str = "spawn", client: Any = None) -> SetResult:
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
    ``client``: a :class:`distributed.Client` (see :func:`dlspectra.cluster.get_client`); when
    given, each uncached chunk is one Dask task (``jobs`` and ``start_method`` are then unused):
    the worker computes it on its own device (``"cuda"`` picks one GPU per worker) with its own
    thread budget, and stores it in ``cache`` itself (the cache must then be on a filesystem the
    workers share; the client stores what they could not). A chunk whose task fails as a whole
    (its worker died repeatedly) has every chain ``error`` with the reason and is not cached.
    ``client=None``: the local behaviour, unchanged.
    Returns a :class:`SetResult` (rows in input order).
    """
    from dlspectra.progress import tqdm

    from dlspectra.cache import Cache

    if cache is None:
        cache = Cache()
    jobs = (os.cpu_count() or 1) if jobs is None else max(1, int(jobs))
    if str(device).startswith("cuda") and client is None:
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

    if client is not None:
        from distributed import as_completed as dask_completed

        futures = {client.submit(_cluster_chunk_task, *args(c), cache if cache else None, key_of(chunks[c]),
                                 pure=False, key=f"anm-chunk-{c}-{uuid.uuid4().hex}"): c
                   for c in pending}
        for fut in dask_completed(list(futures), loop=client.loop):
            c = futures[fut]
            try:
                payload = fut.result()
            except Exception as exc:  # noqa: BLE001 - the chunk's chains are counted as errors, not lost
                ids, coords, _ = args(c)
                payloads[c] = _lost_chunk(ids, coords, f"chunk task failed on the cluster: "
                                                       f"{type(exc).__name__}: {exc}")
                bar.update(len(chunks[c]))
                continue
            if cache and not cache.paths("anm_chunks", key_of(chunks[c]), "npz")[1].exists():
                cache.save("anm_chunks", key_of(chunks[c]), "npz", payload)  # workers without our filesystem
            payloads[c] = payload
            bar.update(len(chunks[c]))
    elif jobs == 1 or len(pending) <= 1:
        for c in pending:
            if cache:  # under the entry's lock: a concurrent run with the same chunk waits, then reads it
                payloads[c] = cache.get_or_compute("anm_chunks", key_of(chunks[c]),
                                                   lambda c=c: _chunk_job(*args(c)), "npz")
                bar.update(len(chunks[c]))
            else:
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
    rows = [dict(by_id[ch.id], **{k: v for k, v in ch.meta.items() if k in ("pdb_id", "chain", "archive", "source")}) for ch in chains]
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




def sample_by_bin(chains: Sequence[Chain], per_bin: Sequence[int | None], *, seed: int = 0,
                  bins: Sequence[tuple[int, int]] = SIZE_BINS) -> list[Chain]:
    """A seeded sample of ``chains`` per 3N bin: ``per_bin[b]`` chains of bin ``b`` (``None``: all of
    them), drawn with ``numpy.random.default_rng(seed + b)``; chains outside every bin are kept (they
    are counted, as too small or too large, by :func:`process_chains`). Returned in input order."""
    if len(per_bin) != len(bins):
        raise ValueError(f"per_bin needs one entry per bin ({len(bins)}), got {list(per_bin)!r}")
    keep = [i for i, c in enumerate(chains) if size_bin(c.dof, bins) < 0]
    for b, n in enumerate(per_bin):
        members = [i for i, c in enumerate(chains) if size_bin(c.dof, bins) == b]
        if n is not None and n < len(members):
            pick = np.random.default_rng(seed + b).choice(len(members), size=int(n), replace=False)
            members = [members[j] for j in np.sort(pick)]
        keep += members
    return [chains[i] for i in sorted(keep)]


def screen_counts(rows: Sequence[dict], bins: Sequence[tuple[int, int]] = SIZE_BINS) -> list[dict]:
    """Per archive and 3N bin (by size alone; ``bin`` -1: outside every bin): ``archive``, ``bin``,
    ``total`` and the number of chains of each status of :data:`STATUSES`. Rows of
    :class:`SetResult` (``archive`` missing: ``"?"``)."""
    out: dict[tuple[str, int], dict] = {}
    for r in rows:
        key = (str(r.get("archive", "?")), size_bin(r["dof"], bins))
        d = out.setdefault(key, {"archive": key[0], "bin": key[1], "total": 0, **{s: 0 for s in STATUSES}})
        d["total"] += 1
        d[r["status"]] = d.get(r["status"], 0) + 1
    return [out[k] for k in sorted(out)]
