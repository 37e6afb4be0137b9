"""Run the same service call from many threads at once, each with its own session."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlmodel import Session

from matchmaker.errors import DomainError


def race(engine, count: int, call: Callable[[Session, int], object]) -> tuple[list, list]:
    """Start ``count`` threads on a barrier; return (results, domain errors).

    Any other exception fails the caller's assertions: it is returned in the errors list
    as itself, never swallowed.
    """
    barrier = threading.Barrier(count)
    results: list = []
    errors: list = []
    lock = threading.Lock()

    def run(index: int) -> None:
        with Session(engine, expire_on_commit=False) as db:
            barrier.wait()
            try:
                outcome = call(db, index)
            except DomainError as error:
                with lock:
                    errors.append(error)
            except Exception as error:  # reported to the test, which expects none
                with lock:
                    errors.append(error)
            else:
                with lock:
                    results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
