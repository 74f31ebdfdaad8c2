"""Claims registry and scorecard."""

import json

import pytest

from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN_DATA, REPRODUCED, ClaimRecorder, format_value
from dlspectra.book.scorecard import load_results, render_scorecard


def test_verdicts_follow_the_rule(tmp_path):
    rec = ClaimRecorder("xie/fig01", "ci", page="notebooks/xie/fig01_x")
    assert rec.check("a", "A", rule="x < 1", holds=0.5 < 1).verdict == REPRODUCED
    assert rec.check("b", "B", rule="x < 1", holds=2 < 1, measured=2.0).verdict == NOT_REPRODUCED
    assert rec.check("c", "C", rule="?", holds=None).verdict == INCONCLUSIVE
    assert rec.not_run("d", "D", reason="data missing").verdict == NOT_RUN_DATA
    with pytest.raises(ValueError, match="twice"):
        rec.check("a", "A", rule="r", holds=True)
    with pytest.raises(ValueError, match="reason"):
        rec.not_run("e", "E", reason="bored")
    path = rec.save(tmp_path)
    data = json.loads(path.read_text())
    assert path == tmp_path / "ci" / "xie" / "fig01.json"
    assert [c["verdict"] for c in data["claims"]] == [REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, NOT_RUN_DATA]
    assert list(tmp_path.rglob("*.tmp")) == []


def test_scorecard_counts_and_links(tmp_path):
    rec = ClaimRecorder("xie/fig01", "ci", page="notebooks/xie/fig01_x")
    rec.check("a", "trained passes", rule="d_ks < d_c", holds=True, paper=0.009, measured=0.0412)
    rec.check("b", "random fails", rule="d_ks > d_c", holds=False, paper=0.079, measured=0.05)
    rec.save(tmp_path)
    assert len(load_results("ci", tmp_path)) == 1
    md = render_scorecard("ci", tmp_path, failed={"xie/fig02": "code cell 3: ValueError: x"})
    assert "trained passes" in md and "0.0412" in md
    assert "</notebooks/xie/fig01_x>" in md
    assert "xie/fig02" in md and "failed" in md
    assert "| **all** | **1** | **1** |" in md


def test_empty_scorecard_says_so(tmp_path):
    assert "No results yet" in render_scorecard("paper", tmp_path)


def test_format_value():
    assert format_value(0.0123456) == "0.01235"
    assert format_value({"d_ks": 0.5, "ok": True}) == "d_ks = 0.5, ok = yes"
    assert format_value(None) == "—"


def test_unconverged_spectrum_never_decides_a_claim():
    from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, REPRODUCED, ClaimRecorder

    rec = ClaimRecorder("xie/fig01", "ci")
    assert rec.check("a", "t", rule="r", holds=True, converged=False).verdict == INCONCLUSIVE
    assert rec.check("b", "t", rule="r", holds=False, converged=False).verdict == INCONCLUSIVE
    assert "did not converge" in rec.claims[-1].note
    assert rec.check("c", "t", rule="r", holds=True, converged=True).verdict == REPRODUCED
    assert rec.check("d", "t", rule="r", holds=False).verdict == NOT_REPRODUCED


def test_scale_trend_is_validated():
    import pytest

    from dlspectra.book.results import ClaimRecorder, scale_trend

    tr = scale_trend("K", [100, 300], [1.4, 1.1], moves="toward the paper", statistic="d_ks/d_c")
    rec = ClaimRecorder("xie/fig01", "ci")
    assert rec.check("a", "t", rule="r", holds=False, trend=tr).trend["settings"] == [100, 300]
    with pytest.raises(ValueError):
        scale_trend("K", [100, 300], [1.4], moves="toward the paper")
    with pytest.raises(ValueError):
        scale_trend("K", [100], [1.4], moves="sideways")
    with pytest.raises(ValueError):
        rec.check("b", "t", rule="r", holds=False, trend={"moves": "?"})


def test_scorecard_has_one_row_per_page_and_a_trend_column(tmp_path):
    from dlspectra.book.results import ClaimRecorder, scale_trend
    from dlspectra.book.scorecard import render_scorecard

    rec = ClaimRecorder("xie/fig01", "ci", page="notebooks/xie/fig01_x")
    rec.check("a", "passes", rule="r", holds=True)
    rec.check("b", "fails but moves", rule="r", holds=False,
              trend=scale_trend("K", [100, 300], [1.4, 1.1], moves="toward the paper", statistic="d_ks/d_c"))
    rec.check("c", "fails, no trend", rule="r", holds=False)
    rec.save(tmp_path)
    pages = [{"notebook": "xie/fig01", "page": "notebooks/xie/fig01_x", "status": "ok"},
             {"notebook": "xie/fig02", "page": "notebooks/xie/fig02_y", "status": "failed: code cell 2: E"}]
    md = render_scorecard("ci", tmp_path, pages=pages)
    page_rows = md[md.index("**Pages**"):md.index("**Claims**")]
    assert "| {doc}`xie/fig01 </notebooks/xie/fig01_x>` | 1 | 2 | 0 | 0 | 0 | ok |" in page_rows
    assert "xie/fig02" in page_rows and "failed: code cell 2: E" in page_rows
    assert md.index("## Xie") < md.index("**Pages**") < md.index("passes")
    assert 'class="dlspectra-chart"' in md and 'href="../notebooks/xie/fig01_x.html"' in md
    assert "toward the paper (K d_ks/d_c — 100: 1.4, 300: 1.1)" in md
    assert "no trend computed" in md
    assert md.count("no trend computed") == 1  # the reproduced claim has no trend cell


def test_bad_results_files_are_reported_not_fatal(tmp_path):
    from dlspectra.book.results import ClaimRecorder
    from dlspectra.book.scorecard import render_scorecard, scan_results

    rec = ClaimRecorder("xie/fig01", "ci")
    rec.check("a", "passes", rule="r", holds=True)
    rec.save(tmp_path)
    (tmp_path / "ci" / "xie" / "fig02.json").write_text('{"notebook": "xie/fig02", "claims": [')  # truncated
    (tmp_path / "ci" / "xie" / "notes.json").write_text('{"hello": 1}')  # stray
    results, skipped = scan_results("ci", tmp_path)
    assert [r["notebook"] for r in results] == ["xie/fig01"] and len(skipped) == 2
    md = render_scorecard("ci", tmp_path, accept=lambda r: None)
    assert "fig02.json: not valid JSON" in md and "notes.json: not a claims file" in md
    md = render_scorecard("ci", tmp_path, accept=lambda r: "its notebook is gone")
    assert "`xie/fig01`: its notebook is gone" in md and "No results yet" in md


def test_markdown_table_escapes_pipes_in_header_and_cells():
    import re

    from dlspectra.book.results import markdown_table
    md = markdown_table(["split", "max |λ(E)|"], [["train", "|x| = 2"]])
    for line in md.splitlines():
        unescaped = re.findall(r"(?<!\\)\|", line)
        assert len(unescaped) == 3, line  # two columns: three cell borders on every line
