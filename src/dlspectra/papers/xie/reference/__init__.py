"""The paper's own numbers (Xie et al.), as data: each value with the text it has in the paper and where it stands.

Pages read their reference column from here and never type a paper value themselves. One data module
per page group (``protein``, ``ks_tables``, ...); each defines ``PAGES = {"xie/<id>": {...}}``, a
mapping from names to :class:`Ref` (or containers of them, e.g. :class:`KsRow` lists).
:func:`reference` collects the modules of this package, so a new module needs no registration.

``tests/test_xie_reference.py`` checks that every :class:`Ref` occurs in the paper's text, printed as
stored, near the table or figure its ``where`` names: a mistyped value fails it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any


@dataclass(frozen=True)
class Ref:
    """One number of the paper. ``text``: as printed (e.g. ``"0.00900"``); ``where``: e.g. ``"Table 6"``."""

    text: str
    where: str

    def __post_init__(self) -> None:
        try:
            float(self.text)
        except ValueError:
            raise ValueError(f"Ref text must be a number as printed in the paper, got {self.text!r}") from None
        if not self.where:
            raise ValueError(f"Ref {self.text} needs a location ('Table 6', 'Fig. 8 caption', ...)")

    @property
    def value(self) -> float:
        return float(self.text)

    def __float__(self) -> float:
        return self.value

    def __str__(self) -> str:
        return self.text


def ref(text: str, where: str) -> Ref:
    """Shorthand constructor: ``ref("0.0430", "Table 5")``."""
    return Ref(text, where)


@dataclass(frozen=True)
class KsRow:
    """One row of the paper's KS tables (Tables 6-11): a spectrum's d_ks, d_c, verdict and fit.

    ``key`` says which run of the book the row stands for (the page's own tuple, e.g. ``("opt", "adam")``).
    ``beta``, ``sigma``, ``s`` are None where the paper prints none (its rejected rows).
    """

    dataset: str
    model: str
    training: str
    setting: str
    key: tuple
    k: int
    d_ks: Ref
    d_c: Ref
    power_law: bool
    beta: Ref | None = None
    sigma: Ref | None = None
    s: Ref | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain floats (``{"d_ks", "d_c", "beta", "sigma", "s", "accepted"}``), None where not printed."""
        out: dict[str, Any] = {"k": self.k, "accepted": self.power_law}
        for name in ("d_ks", "d_c", "beta", "sigma", "s"):
            r = getattr(self, name)
            out[name] = None if r is None else r.value
        return out


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def _collect() -> dict[str, dict[str, Any]]:
    pages: dict[str, dict[str, Any]] = {}
    for name in _modules():
        mod = importlib.import_module(f"{__name__}.{name}")
        for page_id, data in getattr(mod, "PAGES", {}).items():
            if page_id in pages:
                raise ValueError(f"reference values of {page_id} are defined twice (module {name} and another)")
            pages[page_id] = data
    return pages


def page_ids() -> list[str]:
    """The page ids with reference values."""
    return sorted(_collect())


def reference(page_id: str) -> dict[str, Any]:
    """The paper's values of one page (``"xie/tab06"``); KeyError with the known ids when absent."""
    pages = _collect()
    if page_id not in pages:
        raise KeyError(f"no reference values for {page_id!r}; known: {', '.join(sorted(pages))}")
    return pages[page_id]


def iter_refs(obj: Any, path: str = "") -> Iterator[tuple[str, Ref]]:
    """Every :class:`Ref` inside ``obj`` (dicts, lists, tuples, dataclasses), with a path naming it."""
    if isinstance(obj, Ref):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_refs(v, f"{path}[{k!r}]")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from iter_refs(v, f"{path}[{i}]")
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from iter_refs(getattr(obj, f.name), f"{path}.{f.name}")


def all_refs() -> Iterator[tuple[str, Ref]]:
    """Every reference value of every page, with its path (``xie/tab06['rows'][3].d_ks``)."""
    for page_id, data in sorted(_collect().items()):
        yield from iter_refs(data, page_id)


def values(obj: Any) -> Any:
    """The same nested dicts/lists with every :class:`Ref` replaced by its float (for arithmetic on pages)."""
    if isinstance(obj, Ref):
        return obj.value
    if isinstance(obj, KsRow):
        return obj.as_dict()
    if isinstance(obj, dict):
        return {k: values(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(values(v) for v in obj)
    return obj
