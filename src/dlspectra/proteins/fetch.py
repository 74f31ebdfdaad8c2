"""Fetching structures from the PDB (needs a network): a PISCES list -> a C-alpha archive of the data folder's format."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dlspectra.errors import DlspectraError


class FetchError(DlspectraError, RuntimeError):
    """Structures could not be fetched from the PDB (no network, or the server refused)."""



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
            f"dlspectra.proteins.load_ca_archive)") from exc


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

    from dlspectra.progress import tqdm

    from dlspectra.cache import atomic_write_bytes

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


