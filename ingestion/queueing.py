"""The names of the ingestion tasks its services queue (observatory/queueing.py says why by name)."""

PROCESS_IMPORT_RUN = "ingestion.process_import_run"
RENORMALISE_SOURCE = "ingestion.renormalise_source"
