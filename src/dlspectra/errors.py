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
