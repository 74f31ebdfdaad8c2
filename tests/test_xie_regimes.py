"""Small logic of dlspectra.papers.xie.regimes (no training): outliers, bulk fit, distances, phases, presets."""

import numpy as np
import pytest

from dlspectra.fits import power_law_fit
from dlspectra.book.scales import preset
from dlspectra.papers.xie.regimes import (_preset_for, bulk_fit, count_outliers, is_baseline, log_spectrum_distance,
                                   phase)


def test_outliers_and_bulk_fit():
    lam = 1.0 / np.arange(1, 51)
    fit = power_law_fit(lam)
    assert count_outliers(fit, lam) == 0
    spiked = lam.copy()
    spiked[:5] *= 50
    assert count_outliers(power_law_fit(spiked), spiked) >= 5
    bulk = bulk_fit(spiked, 50, 5)
    assert bulk.k == 45 and bulk.accepted
    assert bulk.lambda_max == pytest.approx(lam[5])


def test_log_spectrum_distance():
    lam = 1.0 / np.arange(1, 51)
    assert log_spectrum_distance(lam, lam, 50) == 0.0
    assert log_spectrum_distance(lam, 2 * lam, 50) == pytest.approx(np.log(2))


def test_phases_follow_the_paper():
    p = preset("paper", "xie/fig06")
    assert [phase(b, p) for b in (128, 640, 768, 50000, 60000)] == ["I", "I", "II", "II", "III"]
    ci = preset("ci", "xie/fig06")
    n = ci["lenet"]["mnist"]["train_n"]
    for b, eq in ci["batch_equiv"].items():  # the ci mapping keeps B/N (rounded to a whole batch)
        assert b == round(eq * n / 60000)


def test_baseline_detection_and_size_override():
    p = preset("ci", "xie/fig06")
    assert is_baseline(p)
    assert is_baseline(p, batch_size=128)
    assert not is_baseline(p, batch_size=64)
    assert not is_baseline(p, data_changes={"label_noise": 0.4})
    assert not is_baseline(p, train_n=600)
    assert not is_baseline(p, dataset="gaussian")
    q = _preset_for(p, "gaussian", 600)
    assert q["lenet"]["gaussian"]["train_n"] == 600 and p["lenet"]["mnist"]["train_n"] != 600


def test_label_runs_train_the_label_epochs():
    from dlspectra.papers.xie.regimes import with_label_epochs

    p = preset("ci", "xie/fig07")
    assert p["label_epochs"] == 50 == preset("ci", "xie/fig21")["label_epochs"] == preset("ci", "xie/tab06")["label_epochs"]
    assert with_label_epochs(p, {"label_noise": 0.4}, {}) == {"epochs": 50}
    assert with_label_epochs(p, {"random_labels": True}, {"batch_size": 64}) == {"batch_size": 64, "epochs": 50}
    assert with_label_epochs(p, {"label_noise": 0.4}, {"epochs": 3}) == {"epochs": 3}  # the caller's choice wins
    assert with_label_epochs(p, None, {}) == {} and with_label_epochs(p, {"label_noise": 0.0}, {}) == {}
    assert with_label_epochs(preset("ci", "xie/fig06"), {"label_noise": 0.4}, {}) == {}  # no label_epochs there
