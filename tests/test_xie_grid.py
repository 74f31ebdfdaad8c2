"""The ci grids of the Xie LeNet-MNIST optimizer and batch-size pages are the paper's (issue 13, item 3):
all 11 optimizers, every paper batch size mapped by B/N, and a paper row never read from the wrong run."""

import pytest

from dlspectra.book.scales import preset
from dlspectra.optim import OPTIMIZERS
from dlspectra.papers.xie.reference import reference
from dlspectra.papers.xie.regimes import batch_runs_by_paper_b, phase

PAPER_B = [128, 512, 640, 768, 1024, 8192, 16384, 32768, 50000, 60000]


@pytest.mark.parametrize("page", ["xie/fig03", "xie/fig16"])
def test_ci_runs_all_eleven_optimizers_in_the_papers_order(page):
    ci, paper = preset("ci", page), preset("paper", page)
    assert ci["optimizers"] == paper["optimizers"] == list(OPTIMIZERS)
    assert len(ci["optimizers"]) == 11


@pytest.mark.parametrize("page", ["xie/fig06", "xie/tab03", "xie/tab06"])
def test_ci_batch_grid_is_the_papers_mapped_by_b_over_n(page):
    ci = preset("ci", page)
    n = ci["lenet"]["mnist"]["train_n"]
    assert n == 5000
    want = sorted({round(b * n / 60000) for b in PAPER_B} | {128})
    assert ci["batch_sizes"] == want == [11, 43, 53, 64, 85, 128, 683, 1365, 2731, 4167, 5000]
    by_paper = batch_runs_by_paper_b(ci)
    for b in PAPER_B:  # each paper size has its own run, at the same B/N
        assert ci["batch_equiv"][by_paper[b]] == b
        assert by_paper[b] == round(b * n / 60000)
    assert ci["batch_equiv"][128] == 1536  # the shared baseline stands for 1,536, not for the paper's 128
    assert 32 not in ci["batch_sizes"]
    phases = [phase(ci["batch_equiv"][b], ci) for b in ci["batch_sizes"]]
    assert phases.count("I") == 3 and phases.count("III") == 1  # 11, 43, 53 and 5,000
    paper = preset("paper", page)
    assert paper["batch_sizes"] == PAPER_B and batch_runs_by_paper_b(paper) == {b: b for b in PAPER_B}


def test_every_table6_row_of_the_grids_maps_to_a_run():
    ci = preset("ci", "xie/tab06")
    by_paper = batch_runs_by_paper_b(ci)
    opts = preset("ci", "xie/fig03")["optimizers"]
    keys = [r.key for r in reference("xie/tab06")["rows"]]
    batch = [arg for kind, arg in keys if kind == "batch"]
    assert sorted(batch) == PAPER_B and all(b in by_paper for b in batch)
    assert by_paper[128] == 11  # the paper prints its baseline twice; at ci the B = 128 row is B/N's 11
    assert all(arg in opts for kind, arg in keys if kind == "opt")


def test_batch_runs_by_paper_b_refuses_ambiguous_grids():
    with pytest.raises(ValueError, match="both stand for"):
        batch_runs_by_paper_b({"batch_sizes": [11, 12], "batch_equiv": {11: 128, 12: 128}})
    with pytest.raises(ValueError, match="no batch_equiv"):
        batch_runs_by_paper_b({"batch_sizes": [11, 13], "batch_equiv": {11: 128}})
