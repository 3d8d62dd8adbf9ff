"""The client's address: the one answer throttling, the login lockout and the audit log all use.

Behind `NUM_PROXIES` trusted proxies the client is the NUM_PROXIES-th address from the right of X-Forwarded-For:
each proxy appends the address it received the request from, so anything further left was written by the client
and proves nothing. With no proxy (the default, 0) the header is ignored: a client could otherwise claim a fresh
address, and so a fresh quota, with every request.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote_address = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NUM_PROXIES
    if proxies == 0:
        return remote_address
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through them all, so only the socket can be trusted.
        return remote_address
    return forwarded[-proxies]
