"""Waiting for a condition with a deadline instead of sleeping a fixed time (the machine may be busy)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float = 30.0, interval: float = 0.02, what: str = "") -> T:
    """Poll ``condition`` until it returns something truthy; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or condition}")
        time.sleep(interval)


def communicate_or_dump(proc, timeout: float) -> tuple[str, str]:
    """``proc.communicate(timeout)``; if the process hangs, SIGABRT it (started with
    ``PYTHONFAULTHANDLER=1``, it prints every thread's Python stack) and fail with that stack."""
    import signal
    import subprocess

    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        try:
            _out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
        err = err.decode(errors="replace") if isinstance(err, bytes) else (err or "")
        raise AssertionError(f"still running after {timeout:g} s; its threads:\n{err[-6000:]}") from None
