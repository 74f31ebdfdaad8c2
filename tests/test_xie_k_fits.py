"""d_ks/d_c at several K of one converged spectrum (dlspectra.papers.xie.tables: the K table and plot
of xie/fig01, tab01 and fig04): the sub-fits are the fits of the top K, and unconverged K are marked."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlspectra.fits import power_law_fit  # noqa: E402
from dlspectra.papers.xie.pipeline import Run, fit_spectrum  # noqa: E402
from dlspectra.papers.xie.tables import k_converged, k_fits, k_trend_plot, k_trend_table  # noqa: E402
from dlspectra.spectra import Spectrum  # noqa: E402


def _run(lam, label="r", residuals=None, k=None):
    lam = np.sort(np.asarray(lam, dtype=float))[::-1]
    res = np.zeros_like(lam) if residuals is None else np.asarray(residuals, dtype=float)
    s = Spectrum(lam, res, 2 * lam.size, residuals is None, 1.0)
    return Run(label, None, s, fit_spectrum(s, k or lam.size), 1e-5)


def test_k_fits_are_fits_of_the_top_k():
    rng = np.random.default_rng(0)
    lam = np.sort(rng.pareto(1.0, 400) + 1.0)[::-1]
    run = _run(lam)
    for k, f in zip([100, 200, 400], k_fits(run, [100, 200, 400])):
        ref = power_law_fit(lam, k)
        assert f.k == k and f.d_ks == pytest.approx(ref.d_ks) and f.beta == pytest.approx(ref.beta)
    with pytest.raises(ValueError, match="needs that many"):
        k_fits(run, [500])


def test_an_exponential_spectrum_is_rejected_ever_more_clearly_as_k_grows():
    # λ_k = exp(-k/40) is not a power law: d_ks/d_c grows with K (d_c = 1.36/√K shrinks, d_ks does not)
    lam = np.exp(-np.arange(1, 401) / 40.0)
    ratios = [f.d_ks / f.d_c for f in k_fits(_run(lam, "exp"), [100, 200, 400])]
    assert ratios[0] < ratios[1] < ratios[2] and ratios[-1] > 1


def test_k_converged_marks_the_k_resting_on_unconverged_ritz_values():
    lam = 1.0 / np.arange(1, 201) ** 1.0
    res = np.zeros(200)
    res[150:] = 1.0  # the top 150 converged, the tail did not
    run = _run(lam, residuals=res, k=100)
    assert k_converged(run, [50, 100, 200]) == [True, True, False]


def test_k_trend_table_and_plot_show_every_run_at_every_k():
    runs = [_run(1.0 / np.arange(1, 201), "pow"), _run(np.exp(-np.arange(1, 201) / 30.0), "exp")]
    table = str(k_trend_table(runs, [50, 100, 200]))
    assert table.count("| pow |") == 3 and table.count("| exp |") == 3
    fig, ax = plt.subplots()
    k_trend_plot(ax, runs, [50, 100, 200], paper={"pow": 0.5})
    assert len(ax.get_lines()) == 2 * (1 + 3) + 1 + 1  # per run: a line and 3 markers; the paper's star; the line at 1
    plt.close(fig)
