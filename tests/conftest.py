"""Shared fixtures: a private cache per test session, the offline data folder when present."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

if os.environ.get("DLSPECTRA_THREADS"):  # as the book's pages do: on a shared machine 2 threads per process thrash
    import torch

    torch.set_num_threads(int(os.environ["DLSPECTRA_THREADS"]))
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test writes its cache and results into a temporary folder, never into the checkout."""
    root = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("DLSPECTRA_CACHE", str(root / "cache"))
    monkeypatch.setenv("DLSPECTRA_RESULTS", str(root / "results"))
    monkeypatch.setenv("DLSPECTRA_PROGRESS", "0")


def data_folder() -> Path | None:
    env = os.environ.get("DLSPECTRA_DATA")
    if env and Path(env).is_dir():
        return Path(env)
    return SHARED_DATA if SHARED_DATA.is_dir() else None


needs_data = pytest.mark.skipif(data_folder() is None, reason="no data folder (set DLSPECTRA_DATA to ../shared/data)")
