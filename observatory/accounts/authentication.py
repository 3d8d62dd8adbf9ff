from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .selectors import api_key_by_raw_value
from .services import api_key_touch


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: an NGO or researcher key. Public data only, higher rate limit."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        api_key = api_key_by_raw_value(raw_key=header[len(self.keyword) + 1 :].strip())
        if api_key is None:
            raise AuthenticationFailed("Unknown or revoked API key.")
        api_key_touch(api_key=api_key)
        return AnonymousUser(), api_key

    def authenticate_header(self, request) -> str:
        return self.keyword
