"""The names of the hotspot tasks its services queue (observatory/queueing.py says why by name)."""

HOTSPOT_ANALYSIS_COMPUTE = "hotspots.analysis_compute"
HOTSPOT_KERNELS_WARM = "hotspots.kernels_warm"
