"""Settings of the commanders' analyses (CompStat, daily alerts, hotspots), read from the environment like the
rest (imported by base.py)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# CompStat (issue 19): the source whose records are the incidents, the significance of the change tests, how many
# points a map viewport shows one by one before it shows counts in cells.
COMPSTAT_POLICE_SOURCE = env("COMPSTAT_POLICE_SOURCE", default="police")
COMPSTAT_SIGNIFICANCE = env.float("COMPSTAT_SIGNIFICANCE", default=0.05)
COMPSTAT_MAP_POINTS_MAX = env.int("COMPSTAT_MAP_POINTS_MAX", default=500)
# Daily alerts: the last DAILY_ALERT_WINDOW_DAYS days of a jurisdiction and category against the daily mean of the
# DAILY_ALERT_HISTORY_DAYS days before them; flagged when P(X >= observed) under Poisson is below the p-value and
# the excess is at least the minimum.
DAILY_ALERT_WINDOW_DAYS = env.int("DAILY_ALERT_WINDOW_DAYS", default=28)
DAILY_ALERT_HISTORY_DAYS = env.int("DAILY_ALERT_HISTORY_DAYS", default=365)
DAILY_ALERT_P_VALUE = env.float("DAILY_ALERT_P_VALUE", default=0.01)
DAILY_ALERT_MIN_EXCESS = env.int("DAILY_ALERT_MIN_EXCESS", default=3)
# Hotspots (observatory/hotspots): police records of HOTSPOTS_SOURCE counted on a grid of square cells this many
# metres wide, in this metric projection (0: the UTM zone of the records' centroid), and on colonias. Getis-Ord Gi*
# with this many permutations; hot and cold spots after Benjamini-Hochberg false discovery rate control at 90, 95
# and 99% confidence. A Mann-Kendall trend on the monthly Gi* z-scores at HOTSPOTS_TREND_ALPHA sorts the emerging
# hotspots; "persistent" and its kin need a hot spot in at least HOTSPOTS_PERSISTENT_SHARE of the months.
HOTSPOTS_SOURCE = env("HOTSPOTS_SOURCE", default="police")
HOTSPOTS_GRID_METRES = env.int("HOTSPOTS_GRID_METRES", default=250)
HOTSPOTS_GRID_SRID = env.int("HOTSPOTS_GRID_SRID", default=0)
HOTSPOTS_PERMUTATIONS = env.int("HOTSPOTS_PERMUTATIONS", default=999)
HOTSPOTS_TREND_ALPHA = env.float("HOTSPOTS_TREND_ALPHA", default=0.05)
HOTSPOTS_PERSISTENT_SHARE = env.float("HOTSPOTS_PERSISTENT_SHARE", default=0.9)
# Months an analysis covers by default (ending at the month of the source's latest event), and its limits.
HOTSPOTS_DEFAULT_MONTHS = env.int("HOTSPOTS_DEFAULT_MONTHS", default=12)
HOTSPOTS_MAX_CELLS = env.int("HOTSPOTS_MAX_CELLS", default=250_000)
# Threads of the permutation inference (esda's numba kernel); -1: every core.
HOTSPOTS_THREADS = env.int("HOTSPOTS_THREADS", default=-1)
# Where esda's numba kernels are kept once compiled, and whether a worker that starts compiles them at once
# (observatory/hotspots/kernels.py).
HOTSPOTS_NUMBA_CACHE_DIR = Path(env("HOTSPOTS_NUMBA_CACHE_DIR", default=str(BASE_DIR / "var" / "numba-cache")))
HOTSPOTS_WARM_KERNELS_AT_START = env.bool("HOTSPOTS_WARM_KERNELS_AT_START", default=True)
