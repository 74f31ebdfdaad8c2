"""Dask: get_client, and protein sets on a 2-process LocalCluster equal to the serial result chain for chain."""

from __future__ import annotations

import json
import os
import threading
import time

import numpy as np
import pytest

from dlspectra import proteins
from dlspectra.cache import Cache
from dlspectra.cluster import ClusterError, close_client, get_client, threads_for

distributed = pytest.importorskip("distributed")


def _helix(n: int, seed: int) -> np.ndarray:
    """C-alpha-like helix (3.6 residues a turn, 1.5 Å rise) with 0.3 Å noise: a rigid ANM network."""
    t = np.arange(n) * np.deg2rad(100.0)
    x = np.stack([2.3 * np.cos(t), 2.3 * np.sin(t), 1.5 * np.arange(n)], axis=1)
    return (x + np.random.default_rng(seed).normal(0.0, 0.3, x.shape)).astype(np.float32)


def _chains(n: int = 14, lo: int = 24, hi: int = 60) -> list[proteins.Chain]:
    rng = np.random.default_rng(1)
    out = [proteins.Chain(f"h{i:02d}", _helix(int(rng.integers(lo, hi)), i)) for i in range(n)]
    nan = _helix(40, 99)
    nan[5] = np.nan
    far = np.vstack([_helix(30, 7), _helix(30, 8) + 300.0])
    out += [proteins.Chain("nan", nan), proteins.Chain("tiny", _helix(5, 3)), proteins.Chain("two", far)]
    return out


@pytest.fixture(scope="module")
def client():
    c = get_client(2)  # LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    assert len(c.scheduler_info()["workers"]) == 2
    yield c
    close_client(c)


def _same(a: proteins.SetResult, b: proteins.SetResult) -> None:
    assert a.rows == b.rows  # every chain, in input order, same status, reason, zero modes
    assert sorted(a.spectra) == sorted(b.spectra)
    for cid, ev in a.spectra.items():
        np.testing.assert_array_equal(b.spectra[cid], ev)


def test_get_client_modes(monkeypatch):
    monkeypatch.delenv("DLSPECTRA_DASK_SCHEDULER", raising=False)
    assert get_client(1) is None
    with pytest.raises(ValueError):
        get_client(0)
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        get_client(address="tcp://127.0.0.1:9", timeout=1.0)
    monkeypatch.setenv("DLSPECTRA_DASK_SCHEDULER", "not an address!")
    with pytest.raises(ClusterError, match="malformed"):
        get_client(1)
    assert threads_for(2, cores=16) == 8 and threads_for(3, cores=2) == 1


def test_workers_get_their_share_of_threads(client):
    def threads() -> tuple[int, str | None]:
        import torch

        return torch.get_num_threads(), os.environ.get("DLSPECTRA_THREADS")

    want = threads_for(2)
    assert set(client.run(threads).values()) == {(want, str(want))}


def test_set_on_cluster_equals_serial_and_resumes(client, tmp_path):
    chains = _chains()
    serial = proteins.process_chains(chains, jobs=1, chunk_size=3, min_residues=20, cache=False, progress=False)
    cache = Cache(tmp_path)
    dist = proteins.process_chains(chains, chunk_size=3, min_residues=20, cache=cache, progress=False, client=client)
    _same(serial, dist)
    counts = dist.counts()
    assert counts["total"] == len(chains) and counts["missing_ca"] == 1 and counts["too_small"] == 1
    assert counts["disconnected"] == 1 and counts["ok"] == len(chains) - 3
    assert dist.computed_chunks == 6 and len(list((tmp_path / "anm_chunks").glob("*.npz"))) == 6
    again = proteins.process_chains(chains, chunk_size=3, min_residues=20, cache=cache, progress=False, client=client)
    assert again.computed_chunks == 0 and again.cached_chunks == 6
    _same(serial, again)
    local = proteins.process_chains(chains, jobs=1, chunk_size=3, min_residues=20, cache=cache, progress=False)
    assert local.computed_chunks == 0  # the workers' entries are the serial run's entries


def test_failed_task_counts_every_chain_and_is_not_cached(client, tmp_path, monkeypatch):
    import math

    chains = _chains(6)
    real_submit = client.submit
    calls = []

    def submit(fn, *args, **kwargs):  # the first chunk's task raises on the worker
        calls.append(1)
        return real_submit(math.sqrt, "not a number", **kwargs) if len(calls) == 1 else real_submit(fn, *args, **kwargs)

    monkeypatch.setattr(client, "submit", submit)
    res = proteins.process_chains(chains, chunk_size=3, min_residues=20, cache=Cache(tmp_path), progress=False,
                                  client=client)
    monkeypatch.undo()
    failed = [r for r in res.rows if r["reason"].startswith("chunk task failed on the cluster")]
    assert len(failed) == 3 and all(r["status"] == "error" and "TypeError" in r["reason"] for r in failed)
    assert res.counts()["total"] == len(chains)
    again = proteins.process_chains(chains, chunk_size=3, min_residues=20, cache=Cache(tmp_path), progress=False,
                                    client=client)
    assert again.computed_chunks == 1 and not any(r["status"] == "error" for r in again.rows)


def test_killed_worker_leaves_no_half_entry_and_run_completes(client, tmp_path):
    import signal

    chains = [proteins.Chain(f"k{i:02d}", _helix(150 + i, i)) for i in range(24)]
    cache = Cache(tmp_path)
    out: dict = {}

    def run() -> None:
        try:
            out["res"] = proteins.process_chains(chains, chunk_size=3, cache=cache, progress=False, client=client)
        except BaseException as exc:
            out["err"] = exc

    pids = client.run(os.getpid)
    th = threading.Thread(target=run, daemon=True)
    th.start()
    t0, victim = time.monotonic(), None
    while victim is None and time.monotonic() - t0 < 60:
        busy = [addr for addr, keys in client.processing().items() if keys and addr in pids]
        if busy:
            time.sleep(0.2)  # inside the task (the eigen solve or the cache write)
            victim = busy[0]
        time.sleep(0.02)
    assert victim is not None, "no task started"
    os.kill(pids[victim], signal.SIGKILL)
    th.join(timeout=180)
    assert not th.is_alive() and "err" not in out, out.get("err")
    res = out["res"]
    client.wait_for_workers(2, timeout=60)  # the nanny's replacement is up: client.run would race its start
    assert pids[victim] not in client.run(os.getpid).values()  # it died (and its nanny started another)
    assert res.counts()["total"] == len(chains) and not any(r["status"] == "error" for r in res.rows)
    folder = tmp_path / "anm_chunks"
    entries = sorted(folder.glob("*.npz"))
    assert len(entries) == 8
    for payload in entries:  # every visible entry is complete: its meta file, its hash, and it loads
        meta = folder / f"{payload.stem}.meta.json"
        assert cache.load("anm_chunks", json.loads(meta.read_text())["config"], "npz") is not None
    again = proteins.process_chains(chains, chunk_size=3, cache=cache, progress=False, client=client)
    assert again.computed_chunks == 0
    _same(res, again)
    serial = proteins.process_chains(chains, jobs=1, chunk_size=3, cache=False, progress=False)
    _same(serial, res)
