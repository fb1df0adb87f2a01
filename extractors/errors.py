"""The project's exceptions live in the top-level ``errors.py``; this name stays for the
modules that import them from here."""

from errors import (
    CaseNotFoundError,
    DocumentTooLargeError,
    EmptyCaseError,
    OutputFolderError,
    ReconcileError,
    SettingsError,
    UnreadableDocumentError,
)

__all__ = ["CaseNotFoundError", "DocumentTooLargeError", "EmptyCaseError", "OutputFolderError",
           "ReconcileError", "SettingsError", "UnreadableDocumentError"]
