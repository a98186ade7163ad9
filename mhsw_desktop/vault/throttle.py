"""A growing delay after wrong passphrases, kept in memory (an attempt changes no file)."""

from __future__ import annotations

import time
from collections.abc import Callable

FREE_ATTEMPTS = 2
MAX_DELAY_SECONDS = 30.0


class UnlockThrottle:
    """Counts consecutive failures and says how long to wait before the next try."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.failures = 0
        self._not_before = 0.0

    def delay_for(self, failures: int) -> float:
        """1 s after the third failure, doubling up to 30 s."""
        if failures <= FREE_ATTEMPTS:
            return 0.0
        return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS - 1))

    def record_failure(self) -> float:
        self.failures += 1
        wait = self.delay_for(self.failures)
        self._not_before = self._clock() + wait
        return wait

    def record_success(self) -> None:
        self.failures = 0
        self._not_before = 0.0

    def remaining(self) -> float:
        """Seconds left before another attempt is allowed (0 when allowed now)."""
        return max(0.0, self._not_before - self._clock())
