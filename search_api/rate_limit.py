"""Per-key token buckets, held in this process's memory.

Each key starts with `burst` tokens, and gains `rate` tokens per second up
to `burst`. A request takes one token, or is rejected while none is left.
The same buckets count failed authentication attempts, keyed by key id or
client address, in a second limiter with its own rate.
"""

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token-bucket rate limits by key.

    NOTE: the buckets live in one process, so with several workers or
    replicas each keeps its own, and a key may make that many times the
    configured rate.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = 10_000,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.max_buckets = max_buckets
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Take a token for key; return 0.0, or the seconds until one is free."""
        now = self._clock()
        with self._lock:
            bucket = self._refill(key, now)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def wait(self, key: str) -> float:
        """Return 0.0 if key has a token, else the seconds until it has one.

        Unlike acquire, this takes no token.
        """
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                return 0.0
            tokens = min(
                float(self.burst),
                bucket.tokens + max(0.0, now - bucket.updated) * self.rate,
            )
            if tokens >= 1.0:
                return 0.0
            return (1.0 - tokens) / self.rate

    def _refill(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_buckets:
                self._drop_full_buckets(now)
            bucket = _Bucket(tokens=float(self.burst), updated=now)
            self._buckets[key] = bucket

        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
        bucket.updated = now
        return bucket

    def _drop_full_buckets(self, now: float) -> None:
        """Forget buckets that have refilled to burst.

        A full bucket limits no more than a missing one, so dropping it
        changes no decision. It keeps keys chosen by clients, such as
        unknown key ids, from growing the table without bound.
        NOTE: buckets that are still draining are kept, so the table can
        pass max_buckets while many clients are being limited at once.
        """
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.updated) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]


def retry_after_seconds(wait: float) -> int:
    """Round a wait up to whole seconds for the Retry-After header."""
    return max(1, math.ceil(wait))
