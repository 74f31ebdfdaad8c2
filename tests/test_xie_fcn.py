"""Fast checks of dlspectra.papers.xie.fcn (no training)."""

import numpy as np

from dlspectra.book.scales import preset
from dlspectra.papers.xie.fcn import LNN_CONFIGS, avila_spec, covariance_spec, fcn_config, fcn_params, positive_count


def test_fcn_config_is_canonical():
    assert fcn_config(2, 100) == {"depth": 2, "width": 100}
    assert fcn_config(4, 100, "identity", True) == {"depth": 4, "width": 100, "activation": "identity",
                                                    "batchnorm": True}
    assert fcn_config(4, 100, **LNN_CONFIGS["relu"]) == fcn_config(4, 100)


def test_fcn_params_match_the_catalog():
    assert fcn_params(fcn_config(1)) == 7850
    assert fcn_params(fcn_config(2)) == 79510
    assert fcn_params(fcn_config(4)) == 99710
    assert fcn_params(fcn_config(2, 10)) == 7960
    assert fcn_params(fcn_config(2), 10, 12) == 2312  # the catalog says 2,412: 1,100 + 1,212 = 2,312


def test_specs_from_presets():
    p = preset("ci", "xie/fig13")
    assert avila_spec(p).k == 50 and avila_spec(p).n is None
    c = covariance_spec(preset("ci", "xie/fig20"))
    assert c.matrix == "gradient-covariance"


def test_positive_count():
    assert positive_count(np.array([1.0, 0.5, 1e-9, 0.0, -1e-8])) == 2
