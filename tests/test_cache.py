"""The content-addressed cache: keys, atomic writes, corrupt and partial entries recomputed."""

import json
import os

import numpy as np
import pytest

from dlspectra.cache import Cache, atomic_write_bytes, config_key


def test_key_is_canonical():
    assert config_key({"a": 1, "b": [1, 2]}) == config_key({"b": (1, 2), "a": 1})
    assert config_key({"a": 1}) != config_key({"a": 2})


def test_roundtrip_and_compute_once(tmp_path):
    cache, calls = Cache(tmp_path), []

    def compute():
        calls.append(1)
        return {"x": np.arange(5.0)}

    a = cache.get_or_compute("ns", {"k": 1}, compute)
    b = cache.get_or_compute("ns", {"k": 1}, compute)
    np.testing.assert_array_equal(a["x"], b["x"])
    assert len(calls) == 1


@pytest.mark.parametrize("damage", ["flip-byte", "truncate", "drop-meta", "bad-meta"])
def test_corrupt_entry_is_recomputed_not_loaded(tmp_path, damage):
    cache = Cache(tmp_path)
    cache.save("ns", {"k": 1}, "npz", {"x": np.ones(100)})
    payload, meta = cache.paths("ns", {"k": 1}, "npz")
    data = bytearray(payload.read_bytes())
    if damage == "flip-byte":
        data[len(data) // 2] ^= 0xFF
        payload.write_bytes(bytes(data))
    elif damage == "truncate":
        payload.write_bytes(bytes(data[:20]))
    elif damage == "drop-meta":
        meta.unlink()
    else:
        meta.write_text("{not json")
    assert cache.load("ns", {"k": 1}, "npz") is None
    fresh = cache.get_or_compute("ns", {"k": 1}, lambda: {"x": np.zeros(3)})
    np.testing.assert_array_equal(fresh["x"], np.zeros(3))
    assert json.loads(meta.read_text())["bytes"] == payload.stat().st_size


def test_atomic_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    target = tmp_path / "out.bin"
    atomic_write_bytes(target, b"old")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]  # no temporary file left behind


def test_json_and_torch_kinds(tmp_path):
    import torch

    cache = Cache(tmp_path)
    assert cache.get_or_compute("j", {"a": 1}, lambda: {"v": 1.5}, "json") == {"v": 1.5}
    t = cache.get_or_compute("t", {"a": 1}, lambda: {"w": torch.ones(2)}, "torch")
    assert torch.equal(t["w"], torch.ones(2))


# ----------------------------------------------------------------------------- safe loading


class _RunsCode:
    """Unpickling an instance calls ``pathlib.Path.touch(marker)``: code a weights-only load must refuse."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        import pathlib

        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


def _plant(cache, namespace, config, kind, data: bytes) -> None:
    """Write ``data`` as the payload of an entry with a meta file whose hash matches (an attacker can)."""
    import hashlib

    payload, meta = cache.paths(namespace, config, kind)
    payload.parent.mkdir(parents=True, exist_ok=True)
    payload.write_bytes(data)
    meta.write_text(json.dumps({"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "kind": kind,
                                "config": config}))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_torch_entry_that_would_run_code_is_refused_and_recomputed(tmp_path, caplog):
    import io
    import pickle

    import torch

    marker = tmp_path / "code-ran"
    cache = Cache(tmp_path / "cache")
    for planted in (pickle.dumps({"state_dict": _RunsCode(marker)}),):  # a plain pickle
        buf = io.BytesIO()
        torch.save({"state_dict": _RunsCode(marker)}, buf)  # and torch's zip format
        for data in (planted, buf.getvalue()):
            _plant(cache, "checkpoints", {"k": 1}, "torch", data)
            with caplog.at_level("WARNING", logger="dlspectra.cache"):
                assert cache.load("checkpoints", {"k": 1}, "torch") is None
            assert not marker.exists(), "loading a cache entry ran code"
            assert "refused to load" in caplog.text and "weights_only" in caplog.text
            assert not cache.paths("checkpoints", {"k": 1}, "torch")[0].exists()  # deleted
            caplog.clear()
            _plant(cache, "checkpoints", {"k": 1}, "torch", data)
            fresh = cache.get_or_compute("checkpoints", {"k": 1}, lambda: {"w": torch.arange(3.0)}, "torch")
            assert torch.equal(fresh["w"], torch.arange(3.0)) and not marker.exists()
            assert torch.equal(cache.load("checkpoints", {"k": 1}, "torch")["w"], torch.arange(3.0))
            cache.delete("checkpoints", {"k": 1}, "torch")


def test_checkpoint_payload_is_weights_only_loadable(tmp_path):
    """What train.py stores (state dict, optimizer state, history, metrics) loads with weights_only."""
    import torch

    model = torch.nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.ones(4, 3)).sum().backward()
    opt.step()
    value = {"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 1,
             "history": [{"epoch": 1, "lr": 0.1, "train_loss": 0.5}],
             "metrics": {"train": {"loss": 0.5, "accuracy": 0.9}, "device": "cpu", "train_seconds": 1.0}}
    cache = Cache(tmp_path)
    cache.save("checkpoints-partial", {"k": 2}, "torch", value)
    back = cache.load("checkpoints-partial", {"k": 2}, "torch")
    assert back is not None and back["epoch"] == 1 and back["metrics"] == value["metrics"]
    assert torch.equal(back["state_dict"]["weight"], model.state_dict()["weight"])
    assert back["optimizer"]["param_groups"][0]["momentum"] == 0.9


# ----------------------------------------------------------------------------- read-only caches


def test_read_only_cache_computes_without_storing(tmp_path, monkeypatch, caplog):
    import errno

    import filelock

    from dlspectra import cache as cache_mod

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(cache_mod, "atomic_write_bytes", refuse)
    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    cache, calls = Cache(tmp_path), []

    def compute():
        calls.append(1)
        return {"x": np.arange(3.0)}

    with caplog.at_level("WARNING", logger="dlspectra.cache"):
        for _ in range(2):
            np.testing.assert_array_equal(cache.get_or_compute("ns", {"k": 1}, compute)["x"], np.arange(3.0))
        assert cache.save("ns", {"k": 2}, "json", {"v": 1}) == {"v": 1}
    assert len(calls) == 2  # nothing stored, so computed each time, never an OSError
    warnings = [r for r in caplog.records if "cannot be written" in r.getMessage()]
    assert len(warnings) == 1 and str(tmp_path) in warnings[0].getMessage()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_for_real(tmp_path):
    root = tmp_path / "ro"
    root.mkdir()
    Cache(root).save("ns", {"k": 1}, "npz", {"x": np.ones(2)})
    for p in [root, *root.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        cache = Cache(root)
        np.testing.assert_array_equal(cache.get_or_compute("ns", {"k": 1}, lambda: {"x": np.zeros(2)})["x"], np.ones(2))
        np.testing.assert_array_equal(cache.get_or_compute("ns", {"k": 9}, lambda: {"x": np.zeros(2)})["x"], np.zeros(2))
    finally:
        for p in [root, *root.rglob("*")]:
            p.chmod(0o755)


# ----------------------------------------------------------------------------- computed once


def test_lock_timeout_names_key_and_lock_file(tmp_path):
    import filelock

    from dlspectra.cache import CacheLockTimeout, config_key

    cache = Cache(tmp_path, lock_timeout=0.3)
    lock_file = cache.lock_path("ns", {"k": 1})
    lock_file.parent.mkdir(parents=True)
    holder = filelock.FileLock(lock_file, thread_local=False)
    holder.acquire()
    try:
        with pytest.raises(CacheLockTimeout) as err:
            cache.get_or_compute("ns", {"k": 1}, lambda: {"x": np.ones(1)})
    finally:
        holder.release()
    assert Cache.entry_key("ns", {"k": 1}) in str(err.value) and str(lock_file) in str(err.value)
    assert cache.get_or_compute("ns", {"k": 1}, lambda: {"x": np.ones(1)})["x"][0] == 1.0  # free again


_CHILD = r"""
import sys, time, pathlib
import numpy as np
from dlspectra.cache import Cache
root, counter, go, ready, seconds = sys.argv[1:6]
pathlib.Path(ready).touch()
while not pathlib.Path(go).exists():
    time.sleep(0.01)
def compute():
    with open(counter, "a") as fh:
        fh.write("computed\n")
    time.sleep(float(seconds))
    return {"x": np.arange(4.0)}
print(Cache(root).get_or_compute("ns", {"shared": 1}, compute)["x"].sum())
"""


def _spawn_child(tmp_path, name, seconds):
    import subprocess
    import sys

    args = [str(tmp_path / "cache"), str(tmp_path / "counter"), str(tmp_path / "go"), str(tmp_path / f"ready-{name}"),
            str(seconds)]
    return subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))


def _release_when_ready(tmp_path, names, timeout=60.0):
    import time

    t0 = time.monotonic()
    while not all((tmp_path / f"ready-{n}").exists() for n in names):
        assert time.monotonic() - t0 < timeout, "child processes did not start"
        time.sleep(0.02)
    (tmp_path / "go").touch()


def test_two_processes_same_key_compute_once(tmp_path):
    procs = [_spawn_child(tmp_path, n, 1.5) for n in ("a", "b")]
    _release_when_ready(tmp_path, ("a", "b"))
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    assert [o[0].strip() for o in outs] == ["6.0", "6.0"]
    assert (tmp_path / "counter").read_text().count("computed") == 1


def test_holder_killed_mid_compute_releases_lock_and_leaves_no_entry(tmp_path):
    import signal
    import time

    proc = _spawn_child(tmp_path, "a", 60)
    _release_when_ready(tmp_path, ("a",))
    t0 = time.monotonic()
    while not (tmp_path / "counter").exists():  # the child holds the lock and computes
        assert time.monotonic() - t0 < 60 and proc.poll() is None
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    cache = Cache(tmp_path / "cache", lock_timeout=20)
    payload, meta = cache.paths("ns", {"shared": 1}, "npz")
    assert not payload.exists() and not meta.exists()
    value = cache.get_or_compute("ns", {"shared": 1}, lambda: {"x": np.arange(4.0)})  # not blocked by the dead
    assert value["x"].sum() == 6.0 and cache.load("ns", {"shared": 1}, "npz") is not None


def test_entry_key_includes_the_thread_count(tmp_path):
    """Entries computed with another torch thread count are other entries (their numbers round
    differently); the same config at the same count finds its entry again."""
    import torch

    cache = Cache(tmp_path)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        cache.save("ns", {"k": 1}, "json", {"threads": 1})
        one = cache.paths("ns", {"k": 1}, "json")[0]
        torch.set_num_threads(2)
        assert cache.load("ns", {"k": 1}, "json") is None
        assert cache.paths("ns", {"k": 1}, "json")[0] != one
        torch.set_num_threads(1)
        assert cache.load("ns", {"k": 1}, "json") == {"threads": 1}
        assert json.loads(cache.paths("ns", {"k": 1}, "json")[1].read_text())["compute"] == {"torch_threads": 1}
        cache.save("anm_chunks", {"k": 1}, "json", {"any": 1})  # thread-independent: shared across counts
        torch.set_num_threads(2)
        assert cache.load("anm_chunks", {"k": 1}, "json") == {"any": 1}
    finally:
        torch.set_num_threads(before)
