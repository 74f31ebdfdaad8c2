"""The run record of each executed page, and the key that says whether a page must run again.

A page's key is the SHA-256 of everything its output depends on: its source file, the package's
code (every ``.py`` and checksum manifest under ``dlspectra/``), the data (whether the build verified
the data folder against that manifest: ``verified``, or ``unchecked`` under ``--skip-data-check``),
the scale and the device (``auto`` resolved to ``cpu``/``cuda`` on this machine). The environment
is not part of the key: a page that reads other variables needs ``--force``.
The runner writes a record beside the executed page when a run ends
(``<pages>/<paper>/<stem>.run.json``: key, run id, status ``ok`` / ``failed`` / ``timed out``,
error, seconds). A page is *current* when its record says ``ok``, its key equals today's key, the
executed page exists and its claims JSON carries the record's run id: then its page and claims are
exactly what a fresh run would produce, so a rebuild skips it (``--force`` re-runs).

Why not jupyter-cache (Jupyter Book's execution cache): it keys a notebook by its code cells only
and executes through nbclient itself, while these pages are parameterised by papermill and their
results depend on the package's code and the data, which its key does not see.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from dlspectra.cache import atomic_write_text

OK, FAILED, TIMED_OUT = "ok", "failed", "timed out"
STATUSES = (OK, FAILED, TIMED_OUT)


@lru_cache(maxsize=4)
def package_digest(package_dir: str) -> str:
    """SHA-256 over every ``.py`` (relative path and bytes) and checksum manifest under ``package_dir``."""
    h = hashlib.sha256()
    root = Path(package_dir)
    files = sorted([*root.rglob("*.py"), *root.rglob("*.sha256")])
    for f in files:
        if "__pycache__" in f.parts:
            continue
        h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def page_key(source: Path, scale: str, device: str, *, package_dir: Path, data_state: str = "") -> str:
    """The key of one page: its source, the package code, ``data_state``, the scale and the device (hex SHA-256)."""
    h = hashlib.sha256()
    for part in (Path(source).read_bytes(), package_digest(str(package_dir)).encode(), data_state.encode(),
                 scale.encode(), device.encode()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def record_path(executed: Path) -> Path:
    """The run record beside an executed page ``<stem>.ipynb``: ``<stem>.run.json``."""
    return executed.with_suffix(".run.json")


def write_record(executed: Path, *, figure_id: str, scale: str, key: str, run_id: str, status: str,
                 error: str | None, seconds: float, peak_rss_mb: float | None = None, **extra) -> dict:
    """Write the run record of ``executed`` atomically; returns it (``peak_rss_mb``: the kernel's peak
    resident memory in MiB, when measured; ``extra``: further JSON fields, e.g. the page's products)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
    rec = {"notebook": figure_id, "scale": scale, "key": key, "run_id": run_id, "status": status,
           "error": error, "seconds": round(float(seconds), 2),
           "peak_rss_mb": None if peak_rss_mb is None else round(float(peak_rss_mb), 1),
           "finished": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), **extra}
    atomic_write_text(record_path(executed), json.dumps(rec, indent=1))
    return rec


def read_record(executed: Path) -> dict | None:
    """The run record of ``executed``, or None when absent or unreadable."""
    p = record_path(executed)
    try:
        rec = json.loads(p.read_text())
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) and rec.get("status") in STATUSES else None


def clear(executed: Path, claims: Path) -> None:
    """Forget a page before it runs: its record and its claims (the executed page stays until replaced)."""
    record_path(executed).unlink(missing_ok=True)
    claims.unlink(missing_ok=True)


def staleness(executed: Path, claims: Path, key: str, scale: str) -> str | None:
    """None when the page is current (see the module docstring), else why not (one short phrase)."""
    rec = read_record(executed)
    if rec is None:
        return "never run to the end by the runner at this scale"
    if rec.get("scale") != scale:
        return f"run at scale {rec.get('scale')!r}"
    if rec["status"] != OK:
        return f"its last run {rec['status']}"
    if rec.get("key") != key:
        return "its source, the package code, the data or the device changed since its run"
    if not executed.exists():
        return "its executed page is gone"
    try:
        data = json.loads(claims.read_text())
    except (OSError, ValueError):
        return "its claims file is missing or unreadable"
    if not isinstance(data, dict) or data.get("run_id") != rec.get("run_id"):
        return "its claims file was not written by its last run"
    return None
