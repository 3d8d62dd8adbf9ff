"""The names of the indicators' tasks its services queue (observatory/queueing.py says why by name)."""

COMPUTE = "indicators.compute"
UNDERCOUNT = "indicators.undercount"
