"""Claims as data: rules, ladders, references and the recorder's refusals."""

import json

import pytest

from dlspectra.book.ladder import climb, ladder_summary, ladder_table
from dlspectra.book.reference import Reference
from dlspectra.book.results import INCONCLUSIVE, NOT_REPRODUCED, NOT_RUN_DATA, REPRODUCED, ClaimRecorder
from dlspectra.book.rules import ClaimSpec, Estimate, Rule
from dlspectra.errors import DlspectraError

Q = dict(quote="the words", where="Sec. 1")


def test_threshold_rules_decide_both_ways_and_give_signed_margins():
    r = Rule.below("d_ks / d_c", 1.0, **Q)
    assert r.holds(0.5) is True and r.holds(1.5) is False and r.holds(float("nan")) is None
    assert r.margin(0.5) == pytest.approx(0.5) and r.margin(1.5) == pytest.approx(-0.5)
    a = Rule.above("x", 2.0, **Q)
    assert a.holds(3.0) and not a.holds(1.0) and a.margin(1.0) == pytest.approx(-1.0)
    b = Rule.between("s", 0.9, 1.2, **Q)
    assert b.holds(1.0) and not b.holds(1.3) and not b.holds(0.5) and b.margin(1.3) == pytest.approx(-0.1)
    assert "d_ks / d_c < 1" == r.sentence


def test_interval_rules_are_inconclusive_while_the_interval_straddles():
    r = Rule.interval_below("gap", 0.0, **Q)
    assert r.holds(Estimate(-1.0, -1.5, -0.5)) is True
    assert r.holds(Estimate(1.0, 0.5, 1.5)) is False
    assert r.holds(Estimate(-0.1, -0.5, 0.3)) is None
    with pytest.raises(TypeError):
        r.holds(0.3)


def test_goe_against_poisson_from_the_interval():
    r = Rule.nearer("<r~>", 0.5307, 0.3863, target_name="GOE", alternative_name="Poisson", **Q)
    assert r.holds(Estimate(0.4994, 0.495, 0.504)) is True       # nearer GOE, excludes Poisson
    assert r.holds(Estimate(0.39, 0.37, 0.41)) is False          # nearer Poisson, excludes GOE
    assert r.holds(Estimate(0.46, 0.35, 0.58)) is None           # covers both
    assert r.margin(0.5307) > 0 > r.margin(0.3863)


def test_a_rule_needs_its_quote():
    with pytest.raises(ValueError, match="quote"):
        Rule.below("x", 1.0, quote=" ", where="Sec. 1")
    with pytest.raises(ValueError, match="ladder"):
        ClaimSpec("a", "A", Rule.below("x", 1.0, **Q))


def test_ladder_direction_and_the_paper_rung():
    r = Rule.below("d_ks / d_c", 1.0, **Q)
    up = climb(r, "epochs", [5, 10, 20], [1.6, 1.2, 0.9], paper_setting=50, paper_note="6 h here")
    assert up.moves == "toward the paper"
    assert [x.verdict for x in up.rungs] == [NOT_REPRODUCED, NOT_REPRODUCED, REPRODUCED, "not run: scale"]
    assert up.rungs[-1].paper and up.rungs[-1].note == "6 h here"
    down = climb(r, "epochs", [5, 10, 20], [0.9, 1.2, 1.6], paper_setting=50)
    assert down.moves == "away from the paper"
    flat = climb(r, "epochs", [5, 10, 20], [1.2, 0.9, 1.3], paper_setting=50)
    assert flat.moves == "no clear trend"
    at_paper = climb(r, "width", [16, 64, 2048], [1.2, 1.1, 1.0 - 1e-3], paper_setting=2048)
    assert at_paper.rungs[-1].paper and at_paper.rungs[-1].verdict == REPRODUCED and len(at_paper.rungs) == 3
    unconverged = climb(r, "epochs", [5, 10, 20], [1.6, 1.2, 0.9], converged=[True, True, False], paper_setting=50)
    assert unconverged.rungs[2].verdict == INCONCLUSIVE and unconverged.moves == "no clear trend"
    assert "epochs: 5 ✗, 10 ✗, 20 ✓, 50 (paper) ·" in ladder_summary(up)


def test_ladders_refuse_what_is_no_ladder():
    r = Rule.below("x", 1.0, **Q)
    with pytest.raises(ValueError, match="at least"):
        climb(r, "epochs", [5], [1.0], paper_setting=50)
    with pytest.raises(ValueError, match="two rungs"):
        climb(r, "epochs", [5, 10], [1.0, None], paper_setting=50)
    with pytest.raises(ValueError, match="why_k"):
        climb(r, "K re-read", [25, 50, 100], [1, 1, 1], paper_setting=1000)
    with pytest.raises(ValueError, match="axis"):
        climb(r, "moon phase", [1, 2, 3], [1, 1, 1], paper_setting=4)


def _specs():
    r = Rule.below("d_ks / d_c", 1.0, **Q)
    return [ClaimSpec("acc", "accepted", r, paper=Reference.number("0.00900", "Table 6"), ladder="epochs"),
            ClaimSpec("why", "no ladder possible", r, no_ladder="the paper gives one network only"),
            ClaimSpec("rest", "left for later", r, ladder="width")]


def test_recorder_decides_declared_claims_and_writes_ladders(tmp_path):
    rec = ClaimRecorder("xie/fig01", "ci")
    specs = rec.declare(_specs())
    lad = climb(specs[0].rule, "epochs", [5, 10, 20], [1.6, 1.3, 1.2], paper_setting=50)
    assert rec.decide("acc", 1.2, ladder=lad).verdict == NOT_REPRODUCED
    assert rec.decide("why", 1.1).verdict == NOT_REPRODUCED            # its reason was declared
    assert rec.not_run_rest("data missing")[0].verdict == NOT_RUN_DATA
    data = json.loads(rec.save(tmp_path).read_text())
    acc = data["claims"][0]
    assert acc["quote"] == "the words" and acc["where"] == "Sec. 1" and acc["paper"] == "0.00900"
    assert acc["ladder"]["moves"] == "toward the paper" and len(acc["ladder"]["rungs"]) == 4
    assert "epochs = 50 (paper)" in ladder_table(data["claims"])


def test_recorder_refuses_a_failure_without_ladder_and_undecided_claims(tmp_path):
    rec = ClaimRecorder("xie/fig01", "ci")
    rec.declare(_specs())
    rec.decide("acc", 1.2)
    with pytest.raises(DlspectraError) as e:
        rec.save(tmp_path)
    assert "'acc' is not reproduced but carries no ladder" in str(e.value)
    assert "'rest' was declared but neither decided" in str(e.value)
    assert not list(tmp_path.rglob("*.json"))
    with pytest.raises(DlspectraError, match="was not declared"):
        rec.decide("nope", 1.0)
    with pytest.raises(DlspectraError, match="declared a ladder over 'epochs'"):
        rec2 = ClaimRecorder("xie/fig01", "ci")
        s = rec2.declare(_specs())
        rec2.decide("acc", 1.2, ladder=climb(s[0].rule, "width", [1, 2, 3], [1.3, 1.2, 1.1], paper_setting=4))


def test_an_unconverged_spectrum_never_decides_a_declared_claim():
    rec = ClaimRecorder("xie/fig01", "ci")
    rec.declare(_specs())
    assert rec.decide("why", 0.5, converged=False).verdict == INCONCLUSIVE


def test_identities_are_checks_not_claims_and_a_failing_one_stops_the_page(tmp_path):
    rec = ClaimRecorder("papyan/fig06", "ci")
    rec.identity("teal", "the last C eigenvalues of the C² matrix vanish", holds=True, measured=1e-17,
                 why="Σ_c′ w g = 0 for every class")
    data = json.loads(rec.save(tmp_path).read_text())
    assert data["claims"] == [] and data["checks"][0]["holds"] is True
    rec.identity("rank", "rank ≤ C²", holds=False, measured=101)
    with pytest.raises(DlspectraError, match="identity check 'rank' fails"):
        rec.save(tmp_path)


def test_reference_keeps_the_printed_digits():
    r = Reference.number("0.00900", "Table 6")
    assert float(r) == pytest.approx(0.009) and str(r) == "0.00900"
    with pytest.raises(ValueError, match="location"):
        Reference(1, "")


def test_a_smoke_run_records_every_decided_claim_as_not_run(monkeypatch, tmp_path):
    monkeypatch.setenv("DLSPECTRA_SMOKE", "1")
    rec = ClaimRecorder("xie/fig01", "paper")
    rec.declare(_specs())
    c = rec.decide("acc", 1.2)          # would fail; under smoke it needs no ladder
    assert c.verdict == "not run: scale" and c.smoke_verdict == NOT_REPRODUCED and "smoke run" in c.note
    rec.decide("why", 0.5)
    rec.not_run_rest("scale")
    assert {x["verdict"] for x in json.loads(rec.save(tmp_path).read_text())["claims"]} == {"not run: scale"}
