from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey


class PublicRateThrottle(SimpleRateThrottle):
    """Anonymous clients are limited per address; API key holders get the higher `api_key` rate.

    Signed-in users are not throttled.
    """

    scope = "anonymous"

    def allow_request(self, request, view):
        self.scope = "api_key" if isinstance(request.auth, ApiKey) else "anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        """Read at request time, so a changed setting applies without a restart."""
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        if isinstance(request.auth, ApiKey):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
