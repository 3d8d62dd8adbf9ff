"""The names of the indicators' tasks its services queue (observatory/queueing.py says why by name)."""

VINTAGE_COMPUTE = "indicators.vintage_compute"
UNDERCOUNT_ESTIMATE = "indicators.undercount_estimate"
DAILY_ALERTS_COMPUTE = "indicators.daily_alerts_compute"
PUBLIC_FIGURES_WARM = "indicators.public_figures_warm"
