"""The token-bucket limiter: taking, checking without taking, and pruning."""

from search_api.rate_limit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_wait_takes_no_token():
    limiter = RateLimiter(rate=1.0, burst=1, clock=FakeClock())

    assert limiter.wait("a") == 0.0
    assert limiter.wait("a") == 0.0
    assert limiter.acquire("a") == 0.0
    assert limiter.wait("a") == 1.0


def test_wait_counts_refill():
    clock = FakeClock()
    limiter = RateLimiter(rate=2.0, burst=1, clock=clock)
    limiter.acquire("a")

    clock.now = 0.25

    assert limiter.wait("a") == 0.25
    clock.now = 0.5
    assert limiter.wait("a") == 0.0


def test_full_buckets_dropped_at_max():
    clock = FakeClock()
    limiter = RateLimiter(rate=1.0, burst=2, clock=clock, max_buckets=2)
    limiter.acquire("drained")
    limiter.acquire("drained")
    limiter.acquire("refilled")

    clock.now = 1.0
    limiter.acquire("new")

    assert set(limiter._buckets) == {"drained", "new"}
    assert limiter.wait("drained") == 0.0
    assert limiter.acquire("drained") == 0.0
    assert limiter.acquire("drained") > 0.0
