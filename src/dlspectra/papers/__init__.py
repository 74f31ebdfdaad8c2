"""One package per paper: its recipes, pipelines, page helpers, presets and reference numbers.

``xie`` (Xie et al., power-law Hessian spectra), ``papyan`` (Papyan, class/cross-class structure),
``bask`` (Baskerville, Granziol & Keating, random matrix theory). A paper imports the library and
:mod:`dlspectra.book`, never another paper (import-linter contracts in ``pyproject.toml``).
Each paper package has a ``presets`` module or package defining ``PRESETS``, found by
:func:`dlspectra.book.scales.all_presets`.
"""
