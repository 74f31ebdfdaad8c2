"""Baskerville, Granziol & Keating, *Appearance of random matrix theory in deep learning*: what the ``bask/`` pages call."""
