"""Papyan, *Traces of class/cross-class structure pervade deep learning spectra* (JMLR 2020): what the ``papyan/`` pages call."""

import warnings as _warnings

# torch.func's first forward-mode call (jvp in the Gauss-Newton products, jacrev) emits torch's
# own deprecation notice for torch.jit.script; it says nothing about our results and would land in
# the rendered pages
_warnings.filterwarnings("ignore", message=".*torch.jit.script.*is deprecated", category=FutureWarning)
