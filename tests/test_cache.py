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
