"""Builds that do not drift (issue 21, item 4): one page run twice from a cold cache records the
same claims, bit for bit.

The page is Baskerville et al.'s Figure 8 (the Bike MLP): it trains a network, computes exact
batch Hessians (``curvature.batch_hessian_spectra`` through ``curvature.symmetric_eigenvalues``,
the reduction that drifted), their spacing ratios with a bootstrap interval and a GOE reference,
and decides two claims from them. It runs at ``ci`` under the smoke caps (1 epoch of 2 batches,
2 batches of 64: about 25 s a run on an idle core), each run in its own kernel with its own cache
and results folder, as a build runs it. Every value of the claims JSON is compared, floats exactly
(:func:`dlspectra.book.smoke.claims_differences`); only the time it was written differs.

The two runs use different thread counts (1 and 2; ``DLSPECTRA_DETERMINISM_THREADS=a,b`` sets
them): the numbers must not depend on how many threads a build gives a page. The GOE reference
used ``np.linalg.eigvalsh``, a LAPACK reduction split among the threads (its skewness differed in
the 13th digit between 1 and 2 threads); it is now ``papers.bask.analysis.goe_spectrum``, computed
as the Hessian spectra are, on one thread.
"""

import os
from pathlib import Path

import pytest

from conftest import REPO, data_folder, needs_data
from dlspectra.book.execute import run_notebook_safely
from dlspectra.book.smoke import claims_differences, smoke_env
from dlspectra.cluster import thread_env

PAGE = "bask/fig08"
SOURCE = REPO / "notebooks" / "bask" / "fig08_bike_hessian.py"


def run_cold(tmp: Path, threads: int) -> dict:
    """One run of the page in its own kernel, cache and results folder; its claims JSON."""
    env = {"DLSPECTRA_DATA": str(data_folder()), "DLSPECTRA_CACHE": str(tmp / "cache"), **smoke_env(),
           **thread_env(threads)}
    res = run_notebook_safely({"figure_id": PAGE, "source_text": SOURCE.read_text(), "source_path": str(SOURCE),
                               "scale": "ci", "device": "cpu", "timeout": 300, "env": env, "banner": None})
    assert res["status"] == "ok", res["error"]
    return res["claims"]


def _threads() -> tuple[int, int]:
    a, b = (int(x) for x in os.environ.get("DLSPECTRA_DETERMINISM_THREADS", "1,2").split(","))
    return a, b


@needs_data
def test_two_cold_runs_record_the_same_claims(tmp_path):
    ta, tb = _threads()
    a = run_cold(tmp_path / "a", ta)
    b = run_cold(tmp_path / "b", tb)
    assert (tmp_path / "a" / "cache").is_dir() and (tmp_path / "b" / "cache").is_dir()  # each trained its own
    assert a["claims"], "the page recorded no claims"
    ran = [c for c in a["claims"] if c.get("smoke_verdict") not in (None, "not run: data missing")]
    assert ran, "the page's claims were not computed (data missing?)"
    assert any(isinstance(c.get("measured"), dict) and c["measured"] for c in ran)
    diffs = claims_differences(a, b)
    assert not diffs, "two cold runs of the page differ:\n" + "\n".join(diffs[:20])


def test_the_comparison_sees_the_last_bit():
    a = {"written": "t0", "claims": [{"measured": {"skewness": -0.0007146702416914663, "ci95": [0.51, 0.54]},
                                      "verdict": "reproduced", "kept": 1279.5}]}
    b = {"written": "t1", "claims": [{"measured": {"skewness": -0.0007146702416919101, "ci95": [0.51, 0.54]},
                                      "verdict": "reproduced", "kept": 1279.58}]}
    assert claims_differences(a, a) == []
    assert claims_differences(a, {**a, "written": "later"}) == []  # the run's time is not a claim
    diffs = claims_differences(a, b)
    assert len(diffs) == 2 and diffs[0].startswith("/claims[0]/kept") and "skewness" in diffs[1]
    assert claims_differences(1.0, 1.0 + 1e-15) and claims_differences(1, 1.0)  # bit for bit, type for type
    assert claims_differences({"x": float("nan")}, {"x": float("nan")}) == []
    assert claims_differences([1, 2], [1]) == [": 2 items != 1 items"]
