"""Cases, orchestration, the `reconcile` CLI and the outputs auditors read."""

from importlib import metadata


def tool_version() -> str:
    """The installed package's version (pyproject.toml), or 'unknown' when not installed."""
    try:
        return metadata.version("grant-reconcile")
    except metadata.PackageNotFoundError:
        return "unknown"
