"""The names of the reconciliation tasks its services queue (observatory/queueing.py says why by name)."""

LINKAGE_RUN_EXECUTE = "reconciliation.linkage_run_execute"
