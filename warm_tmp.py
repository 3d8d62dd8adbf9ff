import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE","observatory.settings.base")
django.setup()
from django.conf import settings
t=time.perf_counter()
from observatory.hotspots.kernels import esda_kernels_warm
esda_kernels_warm()
print("warm", round(time.perf_counter()-t,1), settings.HOTSPOTS_NUMBA_CACHE_DIR)
