"""xie/fig13's contrast (Sec. 2.3 read as one test at the paper's K = 50): the trained Avila spectrum
accepted and the random one rejected at the same K, decided in both directions on synthetic runs."""

import numpy as np
import pytest

from dlspectra.book.results import ClaimRecorder
from dlspectra.book.scales import preset
from dlspectra.papers.xie.claims import CLAIMS
from dlspectra.papers.xie.fcn import avila_claims
from dlspectra.papers.xie.pipeline import Run, fit_spectrum
from dlspectra.spectra import Spectrum


def _run(lam, label):
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    s = Spectrum(lam, np.zeros_like(lam), 2 * lam.size, True, 1.0)
    return Run(label, None, s, fit_spectrum(s, lam.size), 1e-5)


POWER = 1.0 / np.arange(1, 51) ** 1.0            # a power law: accepted at K = 50
LINEAR = np.linspace(10.0, 1.0, 50)              # linear in rank: rejected at K = 50 (d_ks/d_c 1.51)


@pytest.mark.parametrize("random, verdict", [(LINEAR, "reproduced"), (POWER * 1.5, "not reproduced")])
def test_avila_contrast_both_ways(random, verdict, tmp_path):
    runs = {"sgd": _run(POWER, "Avila, SGD"), "random": _run(random, "Avila, random")}
    rec = ClaimRecorder("xie/fig13", "ci")
    rec.declare(CLAIMS["xie/fig13"])
    avila_claims(rec, runs, preset("ci", "xie/fig13"))
    c = {x.claim_id: x for x in rec.claims}["contrast"]
    assert c.verdict == verdict and c.measured["K"] == 50
    if verdict == "not reproduced":
        assert c.ladder["axis"] == "K re-read" and [r["setting"] for r in c.ladder["rungs"]] == [12, 25, 50]
    rec.save(root=tmp_path)
