"""Progress bars for long work (tqdm), switched off inside book builds.

``DLSPECTRA_PROGRESS=0`` (set by ``dlspectra book`` for the notebook kernels) disables every bar,
so rendered pages do not carry progress-bar debris; interactive users see them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

try:  # notebook widgets when ipywidgets is installed, plain text bars otherwise (no TqdmWarning)
    import ipywidgets  # noqa: F401
    from tqdm.auto import tqdm as _tqdm
except ImportError:
    from tqdm.std import tqdm as _tqdm


def progress_enabled(requested: bool = True) -> bool:
    """Whether to show a bar: ``requested`` and not disabled by ``DLSPECTRA_PROGRESS=0``."""
    return bool(requested) and os.environ.get("DLSPECTRA_PROGRESS", "1") != "0"


def progress_bar(iterable: Iterable | None = None, *, enabled: bool = True, **kwargs) -> _tqdm:
    """``tqdm(iterable, **kwargs)``, disabled unless :func:`progress_enabled`."""
    return _tqdm(iterable, disable=not progress_enabled(enabled), **kwargs)


def tqdm(*args, **kwargs) -> _tqdm:
    """Drop-in ``tqdm`` for the package's modules: off when ``DLSPECTRA_PROGRESS=0``."""
    kwargs["disable"] = bool(kwargs.get("disable", False)) or not progress_enabled()
    return _tqdm(*args, **kwargs)
