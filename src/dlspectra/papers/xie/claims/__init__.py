"""The claims of the Xie et al. pages, as data: ``CLAIMS = {"xie/<id>": [ClaimSpec, ...]}``.

One module per page group (e.g. ``lenet``, ``cifar``, ``protein``), each defining ``CLAIMS`` for
its pages; this package collects them, so a new module needs no registration. Every rule quotes
the paper's sentence it encodes (``tests/test_claims_registry.py`` checks each quote against the
paper's text).
"""

from __future__ import annotations

import importlib
import pkgutil

from dlspectra.book.rules import ClaimSpec


def _collect() -> dict[str, list[ClaimSpec]]:
    out: dict[str, list[ClaimSpec]] = {}
    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        claims = getattr(importlib.import_module(f"{__name__}.{mod}"), "CLAIMS", {})
        for page, specs in claims.items():
            if page in out:
                raise ValueError(f"{page}: claims declared in two modules of {__name__}")
            out[page] = list(specs)
    return out


CLAIMS: dict[str, list[ClaimSpec]] = _collect()
