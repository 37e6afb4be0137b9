"""Slow down password guessing: a few failed sign-ins per address and account, then a pause."""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_FAILURES = 10
WINDOW_SECONDS = 300


class Throttle:
    """Failed attempts per key in a sliding window (per worker process; enough to stop a script)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW_SECONDS):
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= self.limit for key in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle keys rather than grow without end
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


sign_in_throttle = Throttle()


def sign_in_keys(remote_addr: str | None, email: str) -> tuple[str, str]:
    return (f"ip:{remote_addr or '-'}", f"email:{(email or '').strip().lower()}")
