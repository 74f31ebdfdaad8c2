"""The API reference (book/api.md): every object it documents has a numpy-style docstring with its
Parameters, Returns, Raises and an Example, and every example runs (the examples are tests)."""

import doctest
import importlib
import inspect
import re
from pathlib import Path

import pytest

API = Path(__file__).resolve().parents[1] / "book" / "api.md"


def _objects() -> list[tuple[str, str]]:
    """``(kind, dotted name)`` of every autofunction / autoclass of the page."""
    out, module = [], None
    for line in API.read_text().splitlines():
        m = re.match(r"\.\. currentmodule:: (\S+)", line.strip())
        if m:
            module = m.group(1)
        m = re.match(r"\.\. auto(function|class|exception):: (\S+)", line.strip())
        if m:
            name = m.group(2) if m.group(2).startswith("dlspectra.") else f"{module}.{m.group(2)}"
            out.append((m.group(1), name))
    return out


def _resolve(name: str):
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


OBJECTS = _objects()


def test_the_page_documents_the_library():
    names = {n for _, n in OBJECTS}
    assert len(OBJECTS) >= 80 and len(names) == len(OBJECTS)  # nothing twice
    for must in ("dlspectra.curvature.HessianOperator", "dlspectra.spectral.lanczos_top_k",
                 "dlspectra.spectra.model_spectrum", "dlspectra.rmt.r_tilde_bootstrap", "dlspectra.train.train_module"):
        assert must in names


@pytest.mark.parametrize("kind,name", [o for o in OBJECTS if o[0] != "exception"], ids=lambda x: str(x))
def test_docstring_sections_and_example(kind, name):
    obj = _resolve(name)
    doc = inspect.getdoc(obj) or ""
    sections = set(re.findall(r"^(\w[\w ]*)\n-{3,}$", doc, re.M))
    if kind == "function":
        needed = {"Returns", "Raises", "Examples"} | ({"Parameters"} if inspect.signature(obj).parameters else set())
    else:
        needed = {"Examples"}
        if not ({"Parameters", "Attributes"} & sections):
            needed.add("Parameters")
    assert needed <= sections, f"{name}: missing {sorted(needed - sections)}"
    finder = doctest.DocTestFinder(recurse=False)
    module = importlib.import_module(obj.__module__)
    tests = [t for t in finder.find(obj, name, module=module, globs=dict(vars(module))) if t.examples]
    assert tests, f"{name}: no runnable example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t)
    assert runner.failures == 0, f"{name}: its example fails (run pytest --doctest-modules on its module)"
