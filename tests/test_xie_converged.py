"""No Xie claim is decided on an unconverged spectrum (issue 13, item 1).

* :func:`dlspectra.papers.xie.pipeline.top_converged` against hand-made residuals;
* a :class:`Run` whose fitted eigenvalues did not converge makes a claim inconclusive;
* every ``claims.check`` of the deep-learning pages states ``converged=`` explicitly
  (``None`` only where the claim rests on no spectrum), read from the notebooks' syntax tree.
"""

import ast
from pathlib import Path

import numpy as np
import pytest

from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, REPRODUCED, ClaimRecorder
from dlspectra.papers.xie.pipeline import FLOAT32_TOL_FLOOR, Run, converged, fit_spectrum, top_converged
from dlspectra.spectra import Spectrum

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["fig01", "fig03", "fig04", "fig05", "fig06", "fig07", "fig11", "fig13", "fig14", "fig15", "fig16",
         "fig17", "fig18", "fig19", "fig20", "fig21", "tab01", "tab03", "tab07", "tab08", "tab09", "tab10"]


def _spectrum(residuals, whole: bool = False) -> Spectrum:
    lam = 1.0 / np.arange(1, 51) ** 1.0
    return Spectrum(lam, np.asarray(residuals, dtype=float), 120, whole, 1.0)


def test_top_converged_reads_the_residuals_of_the_fitted_ranks():
    res = np.zeros(50)
    res[40:] = 1e-2  # the tail did not converge
    s = _spectrum(res)
    assert top_converged(s, 40, 1e-5)
    assert not top_converged(s, 41, 1e-5)
    assert not top_converged(s, 60, 1e-5)  # more ranks than computed
    # the float32 floor of the solver applies: 1e-6 relative residuals pass a tol of 1e-9
    assert top_converged(_spectrum(np.full(50, 0.5 * FLOAT32_TOL_FLOOR)), 50, 1e-9)
    assert not top_converged(_spectrum(np.full(50, 2 * FLOAT32_TOL_FLOOR)), 50, 1e-9)
    # a solve that converged as a whole is converged whatever the stored residuals
    assert top_converged(_spectrum(np.ones(50), whole=True), 50, 1e-5)


def test_unconverged_run_makes_the_claim_inconclusive():
    res = np.zeros(50)
    res[-1] = 0.1
    spec = _spectrum(res)
    run = Run("x", None, spec, fit_spectrum(spec, 50), 1e-5)
    top = Run("y", None, spec, fit_spectrum(spec, 40), 1e-5)
    assert not run.converged and top.converged
    assert not converged(run, top) and converged(top)
    rec = ClaimRecorder("xie/test", "ci")
    assert rec.check("a", "t", rule="r", holds=run.fit.accepted, converged=converged(run)).verdict == INCONCLUSIVE
    assert rec.check("b", "t", rule="r", holds=True, converged=converged(top)).verdict == REPRODUCED
    assert rec.check("c", "t", rule="r", holds=False, converged=converged(top)).verdict == NOT_REPRODUCED


def _check_calls(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check":
            yield node


@pytest.mark.parametrize("page", PAGES)
def test_every_claim_states_its_convergence(page):
    path = next((ROOT / "notebooks" / "xie").glob(f"{page}_*.py"))
    calls = list(_check_calls(path))
    if not calls and "page.declare(" in path.read_text():
        pytest.skip(f"{path.name} declares its claims; they are decided in dlspectra.papers.xie (tested there)")
    assert calls, f"{path.name}: no claims.check found"
    missing = [c.lineno for c in calls if "converged" not in {k.arg for k in c.keywords}]
    assert not missing, f"{path.name}: claims.check without converged= at lines {missing}"


def test_the_static_check_catches_a_missing_keyword(tmp_path):
    bad = tmp_path / "fig99_bad.py"
    bad.write_text('claims.check("a", "t", rule="r", holds=True)\nclaims.check("b", "t", rule="r", holds=True, converged=True)\n')
    calls = list(_check_calls(bad))
    assert [("converged" in {k.arg for k in c.keywords}) for c in calls] == [False, True]
