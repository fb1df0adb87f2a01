"""The project's exceptions, in one place so every layer (extractors, expectations, pipeline)
can raise them; like model.py it imports nothing of ours.

Each message says what went wrong and how to fix it. Only the CLI turns them into
`Error: ...` and an exit status.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields


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


# A setting's allowed range, declared beside its default and checked in one place, so every
# settings class says the same thing the same way ("score_cutoff must be between 50 and 100").


@dataclass(frozen=True)
class Bounds:
    """The values a numeric setting may take; ``None`` leaves that side open."""

    above: float | None = None  # strictly greater than
    at_least: float | None = None
    below: float | None = None  # strictly less than
    at_most: float | None = None

    def admits(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return ((self.above is None or value > self.above)
                and (self.at_least is None or value >= self.at_least)
                and (self.below is None or value < self.below)
                and (self.at_most is None or value <= self.at_most))

    def describe(self) -> str:
        if self.above == 0 and self.below is None and self.at_most is None:
            return "a positive number"
        if self.at_least is not None and self.at_most is not None:
            return f"between {_num(self.at_least)} and {_num(self.at_most)}"
        parts = [f"{word} {_num(v)}" for word, v in (
            ("above", self.above), ("at least", self.at_least), ("below", self.below),
            ("at most", self.at_most)) if v is not None]
        return "a number " + " and ".join(parts)


def _num(value: float) -> str:
    return f"{value:g}"


def setting(default: object = MISSING, *, factory=MISSING, one_of: tuple = (),
            **bounds: float) -> object:
    """A settings dataclass field with its default and the values it may take: ``above``,
    ``at_least``, ``below``, ``at_most`` for numbers, ``one_of`` for a choice."""
    metadata = {"bounds": Bounds(**bounds)} if bounds else {}
    if one_of:
        metadata["one_of"] = tuple(one_of)
    if factory is not MISSING:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def check_settings(settings: object) -> None:
    """Raise SettingsError for the first field of a settings dataclass outside what its
    ``setting(...)`` declares, naming the field, what it may be and what it got."""
    for f in fields(settings):
        value = getattr(settings, f.name)
        bounds = f.metadata.get("bounds")
        if bounds is not None and not bounds.admits(value):
            raise SettingsError(f"{f.name} must be {bounds.describe()}, got {value!r}")
        choices = f.metadata.get("one_of")
        if choices and value not in choices:
            raise SettingsError(f"{f.name} must be one of {', '.join(map(str, choices))}, "
                                f"got {value!r}")
