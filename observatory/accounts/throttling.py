from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from observatory.client_address import client_address
from observatory.rate_limits import Quota, take_request

from .models import ApiKey


class PublicRateThrottle(BaseThrottle):
    """Anonymous clients are limited per address; API key holders get the higher `api_key` rate, per key.

    Signed-in users are not throttled. The count is atomic in Redis (observatory.rate_limits).
    """

    def __init__(self):
        self.retry_after = None

    def allow_request(self, request, view):
        if request.user and request.user.is_authenticated:
            return True
        if isinstance(request.auth, ApiKey):
            scope, ident = "api_key", f"key-{request.auth.pk}"
        else:
            scope, ident = "anonymous", f"address-{client_address(request)}"
        # Read at request time, so a changed setting applies without a restart.
        quota = Quota.parse(api_settings.DEFAULT_THROTTLE_RATES[scope])
        verdict = take_request(key=f"api:{scope}:{ident}", quota=quota)
        self.retry_after = verdict.retry_after
        return verdict.allowed

    def get_ident(self, request):
        return client_address(request)

    def wait(self):
        return self.retry_after
