#!/usr/bin/env bash
# One command for a fresh machine: set up, then start a practice round on the embedded defaults.
# With no microphone (a server, a container) it runs `voicemock demo` instead: the same pipeline
# fed by a spoken sample answer. Extra arguments go to `voicemock practice`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if .venv/bin/voicemock devices --seconds 0 >/dev/null 2>&1; then
  exec .venv/bin/voicemock practice "$@"
else
  echo "start: no microphone found, running 'voicemock demo' instead" >&2
  exec .venv/bin/voicemock demo
fi
