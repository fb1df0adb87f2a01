"""Cases, orchestration, the `reconcile` CLI and the outputs auditors read."""


def tool_version() -> str:
    """The installed package's version (pyproject.toml), or 'unknown' when not installed."""
    from importlib import metadata  # 0.1 s to import: only when a version is written

    try:
        return metadata.version("grant-reconcile")
    except metadata.PackageNotFoundError:
        return "unknown"
