"""Content-addressed artifact store with atomic writes.

An entry is identified by a *namespace* (``"checkpoints"``, ``"spectra"``, ...) and the *config*
that produced it (any JSON-serialisable mapping). Its key is the SHA-256 of the canonical JSON of
the config. Each entry is two files::

    <root>/<namespace>/<key>.<ext>        the payload (npz, json or torch)
    <root>/<namespace>/<key>.meta.json    the config, the payload's SHA-256 and its size

Both are written to a temporary file in the same folder and renamed into place (atomic on POSIX),
payload first, so a killed process never leaves an entry that looks complete. On read, the payload
hash is checked against the meta file; a missing meta file, a hash mismatch or a payload that fails
to load marks the entry as corrupt: it is deleted and recomputed, never trusted.

The root is ``$DLSPECTRA_CACHE`` if set, else ``<repository>/.cache/dlspectra`` when the package is
installed from a checkout, else ``~/.cache/dlspectra``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_KINDS = {"npz": "npz", "json": "json", "torch": "pt"}


def repo_root() -> Path | None:
    """The checkout this package was installed from (editable install), or None."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "src" / "dlspectra").is_dir():
            return parent
    return None


def cache_root() -> Path:
    """Folder of the cache (created on first use)."""
    env = os.environ.get("DLSPECTRA_CACHE")
    if env:
        return Path(env).expanduser()
    repo = repo_root()
    return (repo / ".cache" / "dlspectra") if repo else Path.home() / ".cache" / "dlspectra"


def _jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _jsonable(dataclasses.asdict(obj))
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    raise TypeError(f"cache config value {obj!r} of type {type(obj).__name__} is not JSON-serialisable")


def canonical_json(config: Any) -> str:
    """Canonical JSON of a config (sorted keys, no whitespace): the input of :func:`config_key`."""
    return json.dumps(_jsonable(config), sort_keys=True, separators=(",", ":"))


def config_key(config: Any) -> str:
    """24 hex digits of the SHA-256 of the canonical JSON of ``config``."""
    return hashlib.sha256(canonical_json(config).encode()).hexdigest()[:24]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Text version of :func:`atomic_write_bytes` (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _serialise(kind: str, value: Any) -> bytes:
    buf = io.BytesIO()
    if kind == "npz":
        if not isinstance(value, Mapping):
            raise TypeError("an npz cache entry must be a mapping of array names to arrays")
        np.savez(buf, **{k: np.asarray(v) for k, v in value.items()})
    elif kind == "json":
        buf.write(json.dumps(_jsonable(value), indent=1, sort_keys=True).encode())
    elif kind == "torch":
        import torch

        torch.save(value, buf)
    else:
        raise ValueError(f"unknown cache kind {kind!r}; valid: {sorted(_KINDS)}")
    return buf.getvalue()


def _deserialise(kind: str, data: bytes) -> Any:
    if kind == "npz":
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    if kind == "json":
        return json.loads(data.decode())
    import torch

    return torch.load(io.BytesIO(data), map_location="cpu", weights_only=False)


class Cache:
    """The artifact store. ``Cache()`` uses :func:`cache_root`."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root()

    def paths(self, namespace: str, config: Any, kind: str) -> tuple[Path, Path]:
        """(payload path, meta path) of an entry."""
        key = config_key(config)
        folder = self.root / namespace
        return folder / f"{key}.{_KINDS[kind]}", folder / f"{key}.meta.json"

    def load(self, namespace: str, config: Any, kind: str) -> Any | None:
        """The stored value, or None when absent or corrupt (a corrupt entry is deleted)."""
        payload, meta = self.paths(namespace, config, kind)
        if not payload.exists() and not meta.exists():
            return None
        try:
            info = json.loads(meta.read_text())
            data = payload.read_bytes()
            if hashlib.sha256(data).hexdigest() != info["sha256"]:
                raise ValueError("payload hash does not match its meta file")
            return _deserialise(kind, data)
        except Exception as exc:  # noqa: BLE001 - any failure means: do not trust it
            log.warning("cache entry %s is corrupt or partial (%s); recomputing", payload, exc)
            self.delete(namespace, config, kind)
            return None

    def save(self, namespace: str, config: Any, kind: str, value: Any) -> Any:
        """Store ``value`` atomically and return it."""
        payload, meta = self.paths(namespace, config, kind)
        data = _serialise(kind, value)
        atomic_write_bytes(payload, data)
        info = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "kind": kind,
                "config": _jsonable(config)}
        atomic_write_text(meta, json.dumps(info, indent=1, sort_keys=True))
        return value

    def delete(self, namespace: str, config: Any, kind: str) -> None:
        for p in self.paths(namespace, config, kind):
            p.unlink(missing_ok=True)

    def get_or_compute(self, namespace: str, config: Any, compute: Callable[[], Any], kind: str = "npz") -> Any:
        """Return the cached value for ``config``, computing and storing it when absent or corrupt."""
        value = self.load(namespace, config, kind)
        if value is None:
            value = self.save(namespace, config, kind, compute())
        return value


def cached(namespace: str, config: Any, compute: Callable[[], Any], kind: str = "npz") -> Any:
    """Shorthand for ``Cache().get_or_compute(namespace, config, compute, kind)``."""
    return Cache().get_or_compute(namespace, config, compute, kind)
