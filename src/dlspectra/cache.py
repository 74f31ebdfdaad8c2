"""Content-addressed artifact store with atomic writes.

An entry is identified by a *namespace* (``"checkpoints"``, ``"spectra"``, ...) and the *config*
that produced it (any JSON-serialisable mapping). Its key is the SHA-256 of the canonical JSON of
the config together with the *compute fingerprint* (:func:`compute_fingerprint`: the torch CPU
thread count, which changes the rounding of CPU reductions and so, through training, the numbers
themselves; the ANM namespaces of :data:`THREAD_INDEPENDENT` are keyed by the config alone). Each
entry is two files::

    <root>/<namespace>/<key>.<ext>        the payload (npz, json or torch)
    <root>/<namespace>/<key>.meta.json    the config, the payload's SHA-256 and its size

Both are written to a temporary file in the same folder and renamed into place (atomic on POSIX),
payload first, so a killed process never leaves an entry that looks complete. On read, the payload
hash is checked against the meta file; a missing meta file, a hash mismatch or a payload that fails
to load marks the entry as corrupt: it is deleted and recomputed, never trusted.

Computed once. :meth:`Cache.get_or_compute` holds a per-key file lock (``filelock``;
``<root>/<namespace>/<key>.lock``) while it computes, so two processes or cluster workers that need
the same entry at the same time compute it once: the second waits, then reads what the first stored.
A holder that dies releases its lock with its process (an OS lock, ``flock``); on a filesystem
without OS locks filelock falls back to a lock *file*, which a dead holder leaves behind. Waiting
longer than ``lock_timeout`` seconds (default ``$DLSPECTRA_CACHE_LOCK_TIMEOUT``, else 6 hours) raises
:class:`CacheLockTimeout` naming the key and the lock file.

Safe to load. Entries never run code when read: npz with ``allow_pickle=False``, JSON, and torch
payloads with ``torch.load(..., weights_only=True)`` (tensors and plain Python values only). An
entry whose unpickling would call anything else is refused (a warning naming it), deleted and
recomputed: a shared cache is writable by others, and the hash in the meta file does not help
against someone who can rewrite both files.

Read-only caches. When the cache cannot be written (a read-only folder or filesystem, a full disk),
values are computed and returned without being stored; one warning per folder says so.

The root is ``$DLSPECTRA_CACHE`` if set, else ``<repository>/.cache/dlspectra`` when the package is
installed from a checkout, else ``~/.cache/dlspectra``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from dlspectra.errors import DlspectraError

log = logging.getLogger(__name__)

LOCK_TIMEOUT_ENV = "DLSPECTRA_CACHE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 6 * 3600.0
"""Seconds a process waits for another one computing the same entry (see :class:`CacheLockTimeout`)."""


class CacheLockTimeout(DlspectraError, TimeoutError):
    """Waited too long for the process holding an entry's lock (or for a stale lock file)."""


class UnsafeCacheEntryError(DlspectraError, ValueError):
    """A stored payload would run code (or load non-plain objects) when unpickled: refused."""

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


THREAD_INDEPENDENT = frozenset({"anm_chunks", "anm_structure"})
"""Namespaces keyed by their config alone: ANM spectra of parsed coordinates, float64 NumPy/LAPACK
with no torch reduction and no training to amplify a rounding difference, so a serial build and
1-thread Dask workers share them (``tests/test_cluster.py`` checks that the two agree)."""


def compute_fingerprint() -> dict:
    """What, besides an entry's config, changes the value computed on one machine: the torch CPU
    thread count (``torch.get_num_threads()``).

    CPU kernels split their reductions by thread, so the same config computed with 1 and with 2
    threads rounds differently; training amplifies that into different weights (measured: one
    LeNet epoch gives parameters summing to 9.860124458 with 1 thread and 9.860124548 with 2, and
    a few epochs later different d_ks). Keying on it keeps a build's numbers those of its own
    thread count: a cache filled by 2-thread runs is not read by 1-thread workers (they compute
    their own entries), and two builds with the same thread count share every entry.
    """
    import torch

    return {"torch_threads": int(torch.get_num_threads())}


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
    import pickle

    import torch

    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise UnsafeCacheEntryError(
            "refused to load: unpickling it would need more than tensors and plain values "
            f"(torch.load weights_only=True said: {str(exc).splitlines()[0][:300]})") from exc


def lock_timeout() -> float:
    """``$DLSPECTRA_CACHE_LOCK_TIMEOUT`` (seconds) or :data:`DEFAULT_LOCK_TIMEOUT`."""
    env = os.environ.get(LOCK_TIMEOUT_ENV)
    if not env:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(env)
    except ValueError:
        raise ValueError(f"${LOCK_TIMEOUT_ENV}={env!r} is not a number of seconds") from None
    if value <= 0:
        raise ValueError(f"${LOCK_TIMEOUT_ENV} must be > 0 seconds, got {env!r}")
    return value


class Cache:
    """The artifact store. ``Cache()`` uses :func:`cache_root`.

    ``lock_timeout``: seconds :meth:`get_or_compute` waits for another process computing the same
    entry (default :func:`lock_timeout`).
    """

    def __init__(self, root: Path | str | None = None, *, lock_timeout: float | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root()
        self.lock_timeout = float(lock_timeout) if lock_timeout is not None else None
        self._warned_readonly = False

    @staticmethod
    def entry_key(namespace: str, config: Any) -> str:
        """The file key of the entry of ``config`` computed here: :func:`config_key` of the config
        and this process's :func:`compute_fingerprint` (the config alone in the namespaces of
        :data:`THREAD_INDEPENDENT`)."""
        if namespace in THREAD_INDEPENDENT:
            return config_key(config)
        return config_key({"config": config, "compute": compute_fingerprint()})

    def paths(self, namespace: str, config: Any, kind: str) -> tuple[Path, Path]:
        """(payload path, meta path) of an entry."""
        if kind not in _KINDS:
            raise ValueError(f"unknown cache kind {kind!r}; valid: {sorted(_KINDS)}")
        key = self.entry_key(namespace, config)
        folder = self.root / namespace
        return folder / f"{key}.{_KINDS[kind]}", folder / f"{key}.meta.json"

    def lock_path(self, namespace: str, config: Any) -> Path:
        """The lock file of an entry (``<root>/<namespace>/<key>.lock``)."""
        return self.root / namespace / f"{self.entry_key(namespace, config)}.lock"

    def load(self, namespace: str, config: Any, kind: str) -> Any | None:
        """The stored value, or None when absent, corrupt or unsafe (such an entry is deleted)."""
        payload, meta = self.paths(namespace, config, kind)
        if not payload.exists() and not meta.exists():
            return None
        try:
            info = json.loads(meta.read_text())
            data = payload.read_bytes()
            if hashlib.sha256(data).hexdigest() != info["sha256"]:
                raise ValueError("payload hash does not match its meta file")
            return _deserialise(kind, data)
        except UnsafeCacheEntryError as exc:
            log.warning("cache entry %s %s; deleting it and recomputing", payload, exc)
        except Exception as exc:  # noqa: BLE001 - any failure means: do not trust it
            log.warning("cache entry %s is corrupt or partial (%s); recomputing", payload, exc)
        self.delete(namespace, config, kind)
        return None

    def _readonly(self, where: Path, exc: OSError) -> None:
        if not self._warned_readonly:
            self._warned_readonly = True
            log.warning("cache folder %s cannot be written (%s: %s); values are computed but not stored",
                        self.root, type(exc).__name__, exc)
        log.debug("not stored: %s", where)

    def save(self, namespace: str, config: Any, kind: str, value: Any) -> Any:
        """Store ``value`` atomically and return it (returned unstored when the cache is read-only)."""
        payload, meta = self.paths(namespace, config, kind)
        data = _serialise(kind, value)
        info = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "kind": kind,
                "config": _jsonable(config)}
        if namespace not in THREAD_INDEPENDENT:
            info["compute"] = compute_fingerprint()
        try:
            atomic_write_bytes(payload, data)
            atomic_write_text(meta, json.dumps(info, indent=1, sort_keys=True))
        except OSError as exc:
            self._readonly(payload, exc)
        return value

    def delete(self, namespace: str, config: Any, kind: str) -> None:
        """Remove an entry (meta file first, so a half-deleted entry reads as absent or corrupt)."""
        payload, meta = self.paths(namespace, config, kind)
        for p in (meta, payload):
            try:
                p.unlink(missing_ok=True)
            except OSError as exc:
                self._readonly(p, exc)

    @contextlib.contextmanager
    def locked(self, namespace: str, config: Any) -> Iterator[bool]:
        """Hold the entry's file lock for the ``with`` block (one holder at a time, across processes).

        Yields True when the lock is held, False when the cache cannot be written (read-only: no
        lock can be taken; the block then runs unlocked). Raises :class:`CacheLockTimeout` when
        another holder keeps it longer than the lock timeout.
        """
        import filelock

        lock_file = self.lock_path(namespace, config)
        timeout = self.lock_timeout if self.lock_timeout is not None else lock_timeout()
        try:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(lock_file, timeout=timeout)
            lock.acquire()
        except filelock.Timeout:
            raise CacheLockTimeout(
                f"waited {timeout:g} s for cache entry {namespace}/{self.entry_key(namespace, config)} "
                f"(lock file {lock_file}): another process is still computing it, or a holder died "
                f"and left the lock file behind (a filesystem without OS locks). If no process "
                f"uses it, delete {lock_file}; raise ${LOCK_TIMEOUT_ENV} to wait longer.") from None
        except OSError as exc:  # a read-only cache: no lock, no store
            self._readonly(lock_file, exc)
            yield False
            return
        try:
            yield True
        finally:
            lock.release()

    def get_or_compute(self, namespace: str, config: Any, compute: Callable[[], Any], kind: str = "npz") -> Any:
        """Return the cached value for ``config``, computing and storing it when absent or corrupt.

        Computed once across processes: the entry's file lock is held while computing; a second
        caller waits for it and then reads the stored value. Raises :class:`CacheLockTimeout`
        when the wait exceeds the lock timeout.
        """
        value = self.load(namespace, config, kind)
        if value is not None:
            return value
        with self.locked(namespace, config):
            value = self.load(namespace, config, kind)  # the holder we waited for may have stored it
            if value is None:
                value = self.save(namespace, config, kind, compute())
            return value


def cached(namespace: str, config: Any, compute: Callable[[], Any], kind: str = "npz") -> Any:
    """Shorthand for ``Cache().get_or_compute(namespace, config, compute, kind)``."""
    return Cache().get_or_compute(namespace, config, compute, kind)
