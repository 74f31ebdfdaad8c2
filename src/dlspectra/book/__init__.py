"""The book machinery: runs pages, records claims, renders the scorecard; knows no paper.

* :mod:`.cli`: the ``dlspectra`` command (``book``, ``list``, ``scorecard``, ``toc``).
* :mod:`.page`: the skeleton every notebook opens with :func:`~dlspectra.book.page.start`.
* :mod:`.rules`, :mod:`.ladder`, :mod:`.reference`: claims as data (a rule with the paper's words, its
  scale ladder, the paper's values).
* :mod:`.results`: the claims a page records (:class:`~dlspectra.book.results.ClaimRecorder`).
* :mod:`.scorecard`: the scorecard page.
* :mod:`.scales`: the scales, the figure ids and the preset registry (presets live in each paper package).
* :mod:`.plotting`: the plotting style and the common spectrum plots.
"""
