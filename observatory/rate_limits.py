"""Request quotas counted atomically in Redis, shared by the API's throttle and the pages' limit.

A sliding window per client: a Lua script drops the entries older than the window, counts the rest and adds the
new request only when under the limit, in one step. Counting in Python between a read and a write (as DRF's cache
throttle does) lets concurrent requests all read the same count and all pass.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

_SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return {0, tostring(tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return {1, '0'}
"""

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Quota:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> "Quota":
        """'120/minute' → 120 requests in 60 s (DRF's notation, so one setting style for both limits)."""
        count, period = rate.split("/")
        return cls(requests=int(count), seconds=_PERIODS[period.strip()[0]])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: float


@lru_cache(maxsize=4)
def _script(redis_url: str):
    return redis.Redis.from_url(redis_url, socket_timeout=1).register_script(_SLIDING_WINDOW)


def take_request(*, key: str, quota: Quota) -> Verdict:
    """Count one request against `key`; a Redis outage lets requests through (logged) rather than closing the site."""
    try:
        allowed, retry_after = _script(settings.REDIS_URL)(
            keys=[f"rate-limit:{key}"], args=[time.time(), quota.seconds, quota.requests, uuid.uuid4().hex]
        )
    except redis.RedisError:
        logger.warning("rate limit not applied: Redis did not answer", exc_info=True)
        return Verdict(allowed=True, retry_after=0)
    return Verdict(allowed=bool(allowed), retry_after=float(retry_after))
