"""The thread budget: how many threads each engine gets, from the cores this process may use.

A practice round runs three engines at once: CTranslate2 (Whisper) transcribing behind the
candidate, onnxruntime (Silero VAD) finding pauses, and numpy for the acoustic features, beside the
recorder and the screen. On a laptop that also runs a browser and a video call, more runnable
threads than cores is the normal case, and OpenMP workers that *spin* while they wait (libgomp's
default) then steal the cores the real work needs. So:

- waiting threads sleep: ``OMP_WAIT_POLICY=PASSIVE`` (set in ``voicemock/__init__.py``, before
  CTranslate2's libgomp loads; a value the user set is kept);
- BLAS pools are single-threaded (numpy's work here is small FFTs and sums);
- Whisper gets ``whisper_threads`` intra-op threads (default: every core available,
  ``os.sched_getaffinity``), one model call at a time; the VAD gets one thread.

``threads`` in ``config.toml`` overrides the Whisper count.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import dataclass

#: Environment for the native libraries, applied with setdefault (the user's own values win).
NATIVE_ENV = {
    "OMP_WAIT_POLICY": "PASSIVE",   # libgomp (CTranslate2): sleep instead of spinning when idle
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # onnxruntime (Silero VAD, the Piper voice) ships Microsoft's telemetry client, which queues
    # events with a device id under ~/.cache/Microsoft: nothing of a local-first tool's runs is
    # written outside its home, or queued for anyone
    "ORT_DISABLE_TELEMETRY": "1",
}


def configure_native_env(env: MutableMapping[str, str] | None = None) -> None:
    """Set :data:`NATIVE_ENV` where unset. Must run before ctranslate2 or numpy's BLAS loads."""
    target: MutableMapping[str, str] = os.environ if env is None else env
    for key, value in NATIVE_ENV.items():
        target.setdefault(key, value)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ThreadBudget:
    whisper_threads: int  # CTranslate2 intra-op threads of one transcription
    whisper_workers: int  # transcriptions that may run at the same time (files scored in parallel)
    vad_threads: int = 1

    def describe(self) -> str:
        return f"Whisper {self.whisper_threads} thread(s) x {self.whisper_workers}, VAD {self.vad_threads}"


def budget(override: int | None = None, parallel_files: int = 1) -> ThreadBudget:
    """The budget for this machine: one transcription with every core, or ``parallel_files``
    transcriptions sharing them (score with several files)."""
    cores = available_cores()
    if parallel_files > 1:
        workers = min(parallel_files, cores)
        return ThreadBudget(whisper_threads=max(1, (override or cores) // workers), whisper_workers=workers)
    return ThreadBudget(whisper_threads=max(1, override or cores), whisper_workers=1)
