"""Fetching structures from the PDB (needs a network): a PISCES list -> a C-alpha archive of the data folder's format."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dlspectra.errors import DlspectraError


class FetchError(DlspectraError, RuntimeError):
    """Structures could not be fetched from the PDB (no network, or the server refused)."""



# ----------------------------------------------------------------------------- fetching (network only)

PDB_BASE_URL = "https://files.rcsb.org/download"
"""Default server: ``<base>/<PDBID>.pdb``. Override with ``base_url=`` or ``$DLSPECTRA_PDB_URL`` (a mirror)."""
PDB_URL_ENV = "DLSPECTRA_PDB_URL"
FETCH_STATUSES = ("ok", "no_pdb_format", "http_error", "truncated", "no_calpha")
"""Per-chain outcomes of :func:`fetch_pisces_chains`: ``no_pdb_format`` (HTTP 404: on RCSB, an entry
too large for the PDB format, mmCIF only), ``http_error`` (any other HTTP status), ``truncated``
(fewer bytes than announced, or no ``END`` record), ``no_calpha`` (the chain has no C-alpha)."""


def pdb_base_url(base_url: str | None = None) -> str:
    """The server to fetch from: ``base_url``, else ``$DLSPECTRA_PDB_URL``, else :data:`PDB_BASE_URL`.

    Must be an ``http://`` or ``https://`` URL; a trailing slash is dropped.
    """
    url = (base_url or os.environ.get(PDB_URL_ENV) or PDB_BASE_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"PDB base URL {url!r} (from the argument or ${PDB_URL_ENV}) must start with "
                         "http:// or https://")
    return url


class FetchResult(tuple):
    """``(npz_path, index_path)`` of :func:`fetch_pisces_chains`, with the run's bookkeeping.

    ``counts``: chains per status (every :data:`FETCH_STATUSES` entry, zeros included) and
    ``total``; ``rows``: the index rows (``status`` and ``reason`` per chain); ``downloaded``: PDB
    entries requested from the server in this run (entries already in ``raw/`` are not).
    """

    counts: dict[str, int]
    rows: list[dict]
    downloaded: list[str]

    def __new__(cls, npz: Path, index: Path, rows: list[dict], downloaded: list[str]) -> FetchResult:
        self = super().__new__(cls, (npz, index))
        self.rows = rows
        self.downloaded = downloaded
        self.counts = {st: 0 for st in FETCH_STATUSES}
        for r in rows:
            self.counts[r["status"]] = self.counts.get(r["status"], 0) + 1
        self.counts["total"] = len(rows)
        return self


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


def _check_network(url: str = PDB_BASE_URL, timeout: float = 5.0) -> None:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(urllib.request.Request(url + "/", method="HEAD"), timeout=timeout).close()
    except urllib.error.HTTPError:
        return  # the server answered (even with an error status): the network is there
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(
            f"cannot reach the PDB ({url}): {exc}. Fetching structures needs network access; on an "
            f"offline machine use the archives of the data folder instead (pdb/pdownb, pdb/ts50; "
            f"dlspectra.proteins.load_ca_archive), or point ${PDB_URL_ENV} at a mirror") from exc


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


def _incomplete_reason(data: bytes) -> str | None:
    """Why a downloaded PDB file is incomplete (no ``END`` record), or None when it is whole."""
    tail = data[-4096:].decode("ascii", errors="replace").rstrip().splitlines()
    if not tail or not tail[-1].startswith("END"):
        return f"{len(data)} bytes without a final END record (cut off)"
    return None


def fetch_pisces_chains(list_path: str | Path, out_dir: str | Path, *, limit: int | None = None,
                        min_length: int = 100, max_length: int = 2000, max_resolution: float = 2.0,
                        timeout: float = 30.0, progress: bool = True,
                        opener: Callable[[str, float], bytes] | None = None,
                        base_url: str | None = None) -> FetchResult:
    """Download the chains of a PISCES list from the PDB and store them as a C-alpha archive.

    Writes ``<out_dir>/pisces_ca.npz`` (key ``PDBID_CHAIN`` -> float32 ``(N, 3)`` Å) and
    ``<out_dir>/pisces_ca_index.csv`` (``key, pdb_id, chain, n_residues, pisces_length,
    pisces_method, pisces_resolution_A, pisces_R, meets_all_criteria, status, reason``), the format
    of ``pdb/pdownb`` (read them with :func:`load_ca_files`). Chains of X-ray entries with
    ``min_length <= length <= max_length`` and resolution <= ``max_resolution`` are fetched
    (``limit``: the first that many) from ``<base_url>/<PDBID>.pdb`` (:func:`pdb_base_url`).

    Every chain gets a status (:data:`FETCH_STATUSES`) and a reason. Only whole files are kept, in
    ``<out_dir>/raw/`` (written atomically): a 404, another HTTP error or a truncated download
    leaves nothing there, so a rerun requests exactly the entries still missing. Raises
    :class:`FetchError` when the server cannot be reached at all (the run stops; the entries kept
    so far stay). Returns a :class:`FetchResult` (``npz, index = ...`` still works).
    """
    import http.client
    import urllib.error
    import urllib.request

    from dlspectra.progress import tqdm

    from dlspectra.cache import atomic_write_bytes

    base = pdb_base_url(base_url)
    rows = [r for r in read_pisces_list(list_path) if r["method"].upper().startswith("XRAY")
            and min_length <= r["length"] <= max_length and r["resolution"] <= max_resolution]
    if limit is not None:
        rows = rows[:limit]

    def default_open(url: str, t: float) -> bytes:
        with urllib.request.urlopen(url, timeout=t) as resp:
            return resp.read()  # raises http.client.IncompleteRead when cut short of Content-Length

    fetch = opener or default_open
    if opener is None:
        _check_network(base)
    out_dir = Path(out_dir)
    raw = out_dir / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    index: list[dict] = []
    failed: dict[str, tuple[str, str]] = {}  # PDB id -> (status, reason), asked once per run
    downloaded: list[str] = []
    for r in tqdm(rows, desc="fetch PDB", disable=not progress, file=sys.stderr):
        pdb_id = r["pdb_id"]
        entry = raw / f"{pdb_id.lower()}.pdb"
        status, reason = failed.get(pdb_id, ("ok", ""))
        if status == "ok" and not entry.exists():
            url = f"{base}/{pdb_id}.pdb"
            downloaded.append(pdb_id)
            try:
                data = fetch(url, timeout)
                why = _incomplete_reason(data)
                if why is not None:
                    status, reason = "truncated", why
                else:
                    atomic_write_bytes(entry, data)
            except urllib.error.HTTPError as exc:
                status = "no_pdb_format" if exc.code == 404 else "http_error"
                reason = f"HTTP {exc.code} {exc.reason} for {url}"
            except http.client.IncompleteRead as exc:
                status = "truncated"
                reason = f"received {len(exc.partial)} bytes, {exc.expected} more announced, for {url}"
            except (urllib.error.URLError, OSError) as exc:
                raise FetchError(f"download of {pdb_id} from {url} failed: {exc}; rerun to resume "
                                 f"({len(list(raw.glob('*.pdb')))} entries kept in {raw})") from exc
            if status != "ok":
                failed[pdb_id] = (status, reason)
        key = f"{pdb_id}_{r['chain']}"
        ca = _ca_from_pdb_text(entry.read_text(errors="replace"), r["chain"]) if status == "ok" else np.zeros((0, 3))
        if status == "ok" and ca.shape[0] == 0:
            status, reason = "no_calpha", f"no C-alpha ATOM record for chain {r['chain']!r} in {entry.name}"
        if status == "ok":
            arrays[key] = ca
        index.append({"key": key, "pdb_id": pdb_id, "chain": r["chain"], "n_residues": ca.shape[0],
                      "pisces_length": r["length"], "pisces_method": r["method"],
                      "pisces_resolution_A": r["resolution"], "pisces_R": r["r_factor"],
                      "meets_all_criteria": int(status == "ok" and min_length <= ca.shape[0] <= max_length),
                      "status": status, "reason": reason})
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    npz_path, csv_path = out_dir / "pisces_ca.npz", out_dir / "pisces_ca_index.csv"
    atomic_write_bytes(npz_path, buf.getvalue())
    text = io.StringIO()
    w = csv.DictWriter(text, fieldnames=list(index[0]) if index else ["key"])
    w.writeheader()
    w.writerows(index)
    atomic_write_bytes(csv_path, text.getvalue().encode())
    return FetchResult(npz_path, csv_path, index, downloaded)
