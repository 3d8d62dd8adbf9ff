"""The names of the CompStat tasks its services queue (observatory/queueing.py says why by name)."""

DATA_VERSION_BUILD = "compstat.data_version_build"
WEEKLY_REPORT_RENDER = "compstat.weekly_report_render"
