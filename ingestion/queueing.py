"""The names of the ingestion tasks its services queue (observatory/queueing.py says why by name)."""

IMPORT_RUN_PROCESS = "ingestion.import_run_process"
SOURCE_RENORMALISE = "ingestion.source_renormalise"
