"""dlspectra: spectra of deep-learning Hessians, and the executable book that reproduces three papers.

Three layers; imports run downwards only (checked by import-linter in ``make test``):

1. The library, usable on any model or structure: :mod:`data`, :mod:`models`, :mod:`optim`,
   :mod:`train`, :mod:`cache`, :mod:`errors`, :mod:`progress`, :mod:`curvature` (linear operators),
   :mod:`spectral` (eigen-solvers, densities, traces), :mod:`spectra` (cached top-K spectrum of a
   trained model), :mod:`fits` (Xie's power-law statistics), :mod:`rmt` (random-matrix statistics),
   :mod:`proteins` (ANM spectra of protein structures).
2. :mod:`dlspectra.book`: the machinery behind the ``dlspectra`` command (runner, page skeleton,
   claims and scorecard, scales and presets, plotting style).
3. :mod:`dlspectra.papers`: one package per paper (``xie``, ``papyan``, ``bask``) with its recipes,
   pipelines, page helpers, presets and reference numbers.
"""

__version__ = "0.1.0"
