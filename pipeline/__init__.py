"""Cases, orchestration, the `reconcile` CLI and the outputs auditors read."""
