"""Exceptions with messages that tell the user what to do."""


class DlspectraError(Exception):
    """Base class of every error raised on purpose by dlspectra."""


class DataMissingError(DlspectraError, FileNotFoundError):
    """A data file is absent; the message names the file, its checksum and where to put it."""


class DataCorruptError(DlspectraError, ValueError):
    """A data file exists but its checksum does not match the expected one."""


class UnknownNameError(DlspectraError, KeyError):
    """An unknown scale, figure id, model, data set or optimizer name; the message lists the valid ones."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class SpectrumError(DlspectraError, ValueError):
    """A spectrum is unusable (NaN or infinite values, too few eigenvalues, ...)."""


class UsageError(DlspectraError, ValueError):
    """A call refused before any work is done (no training, no product): the data, model, loss or an
    argument breaks the library's contract. The message names the cause and the fix."""


class SolverWarning(UserWarning):
    """A solver's result needs care: not converged, or an eigenvalue it should have found lies
    outside the space it searched (a missed copy of a repeated eigenvalue)."""
