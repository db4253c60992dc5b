"""The one error hierarchy of voicemock.

Every error the library raises on purpose derives from :class:`VoicemockError`;
the CLI turns them into a one-line message and exit code 1. Anything else is a bug.

    VoicemockError
    ├── ConfigError            bad config.toml, bad option value
    ├── BankError              a question bank that cannot be found, loaded or validated
    │   └── BankNotFoundError  unknown bank name (message lists the available banks)
    ├── AudioError             an audio file that is missing, empty, corrupt or unsupported
    ├── DeviceError            no microphone/speaker, PortAudio missing, a mic that records zeros
    ├── ModelError             the Whisper model is missing, damaged or cannot be loaded
    ├── JudgeError             the LLM judge failed (callers fall back to the offline judge)
    ├── SessionError           a saved session that cannot be read (damaged session.json, bad zip)
    ├── StoreError             the history index or recordings folder cannot be used
    └── ReportError            a report cannot be written where it was asked for

:class:`Terminated` is not an error: SIGTERM or SIGHUP (a closed terminal, ``kill``, a logout)
raised as a KeyboardInterrupt, so that every path that keeps the user's work on Ctrl-C (the
practice loop saves session.json and keeps the recording) keeps it on those signals too.
"""

from __future__ import annotations


class VoicemockError(Exception):
    """Base of every error voicemock raises on purpose. ``str(err)`` is shown to the user."""

    #: Process exit code the CLI uses for this error.
    exit_code: int = 1


class ConfigError(VoicemockError):
    pass


class BankError(VoicemockError):
    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class BankNotFoundError(BankError):
    pass


class AudioError(VoicemockError):
    pass


class DeviceError(VoicemockError):
    pass


class ModelError(VoicemockError):
    pass


class JudgeError(VoicemockError):
    pass


class SessionError(VoicemockError):
    pass


class StoreError(VoicemockError):
    pass


class ReportError(VoicemockError):
    pass


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, delivered as a KeyboardInterrupt (the CLI installs the handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal_name(self.signum)


def signal_name(signum: int) -> str:
    """"SIGTERM" for 15; "signal 99" for a number no signal has."""
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
