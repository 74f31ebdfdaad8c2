"""Papyan, *Traces of class/cross-class structure pervade deep learning spectra* (JMLR 2020): what the ``papyan/`` pages call."""
