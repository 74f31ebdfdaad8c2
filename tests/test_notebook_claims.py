"""Static checks of every notebook's claim calls: what would only fail on a machine without the data."""

import ast
from pathlib import Path

import pytest

from dlspectra.book.results import ClaimRecorder

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*/*.py"))


def _not_run_reasons(path: Path) -> list[tuple[int, ast.expr]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "not_run":
            out += [(node.lineno, kw.value) for kw in node.keywords if kw.arg == "reason"]
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_not_run_reasons_are_ones_the_recorder_accepts(path):
    """A page's data-missing branch must record its claims, not raise (only literal, valid reasons)."""
    valid = {"data missing", "scale"}

    def ok(v: ast.expr) -> bool:  # a valid literal, or a conditional choosing between valid literals
        if isinstance(v, ast.IfExp):
            return ok(v.body) and ok(v.orelse)
        return isinstance(v, ast.Constant) and v.value in valid

    for line, value in _not_run_reasons(path):
        assert ok(value), (
            f"{path.name}:{line}: claims.not_run(reason=...) must be one of {sorted(valid)} "
            f"(put details in note=...)")


def test_the_recorder_refuses_other_reasons():
    rec = ClaimRecorder("bask/fig01", "ci")
    with pytest.raises(ValueError, match="reason must be"):
        rec.not_run("a", "t", reason="data missing: mnist")
