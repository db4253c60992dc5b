"""voicemock: a local-first spoken mock-interview coach."""

from .threads import configure_native_env as _configure_native_env

__version__ = "0.1.0"

_configure_native_env()  # before any native library loads; see voicemock.threads
