"""The names of the reconciliation tasks its services queue (observatory/queueing.py says why by name)."""

RUN_LINKAGE = "reconciliation.run_linkage"
