"""The project's exceptions, in one place so every layer (extractors, expectations, pipeline)
can raise them; like model.py it imports nothing of ours.

Each message says what went wrong and how to fix it. Only the CLI turns them into
`Error: ...` and an exit status.
"""

from __future__ import annotations


class ReconcileError(Exception):
    """Base class of every error this tool raises on purpose."""


class UnreadableDocumentError(ReconcileError, ValueError):
    """A document exists but cannot be read as the format it claims to be."""

    def __init__(self, path: str, reason: str, page: int | None = None) -> None:
        self.path = path
        self.page = page
        self.reason = reason
        where = f"{path}, page {page}" if page is not None else path
        super().__init__(f"{where}: {reason}")


class DocumentTooLargeError(UnreadableDocumentError):
    """A document exceeds a documented size limit (pages, page size, unpacked bytes)."""


class CaseNotFoundError(ReconcileError, FileNotFoundError):
    """A case folder named on the command line does not exist or is not a folder."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: no such case folder; pass a folder holding the decision documents"
        )


class EmptyCaseError(ReconcileError, ValueError):
    """A case folder holds no document the tool can read."""

    def __init__(self, path: str, found: tuple[str, ...] = ()) -> None:
        self.path = path
        listed = f" (it holds only {', '.join(found)})" if found else " (it is empty)"
        super().__init__(
            f"{path}: no PDF, DOCX, HTML, TXT or MD document to read{listed}; "
            "put the decision's documents in the folder"
        )


class SettingsError(ReconcileError, ValueError):
    """A setting is out of its allowed range."""


class OutputFolderError(ReconcileError, ValueError):
    """--out cannot be used: it is an input case folder, lies in one, holds one, or is no
    writable folder; or a case's output folder was not made by this tool."""
