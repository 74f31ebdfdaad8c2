"""The book machinery: runs pages, records claims, renders the scorecard; knows no paper.

* :mod:`.cli`: the ``dlspectra`` command (``book``, ``list``, ``scorecard``, ``toc``).
* :mod:`.page`: the skeleton every notebook opens with :func:`~dlspectra.book.page.start`.
* :mod:`.results`: claims (:class:`~dlspectra.book.results.ClaimRecorder`) and the scorecard.
* :mod:`.scales`: the scales, the figure ids and the preset registry (presets live in each paper package).
* :mod:`.plotting`: the plotting style and the common spectrum plots.
"""
