"""dlspectra: spectra of deep-learning Hessians, and the executable book that reproduces three papers.

Modules (each with one job): :mod:`scales` (size presets), :mod:`data` (data sets), :mod:`models`
(model zoo), :mod:`optim` / :mod:`train` (training with cached checkpoints), :mod:`curvature`
(linear operators), :mod:`spectral` (eigen-solvers and densities), :mod:`fits` (Xie's power-law
statistics), :mod:`rmt` (random-matrix statistics), :mod:`anm` (protein spectra), :mod:`cache`,
:mod:`results` (claims and scorecard), :mod:`plotting`, :mod:`cli`.
"""

__version__ = "0.1.0"
