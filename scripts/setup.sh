#!/usr/bin/env bash
# Set up voicemock on a Debian/Ubuntu machine: system packages (where we may), a venv in .venv,
# and the package itself. Idempotent: a second run only checks.
#   bash scripts/setup.sh          # to use voicemock
#   bash scripts/setup.sh --dev    # also what the tests need (virtual audio, Chromium, llama.cpp server)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1
say() { printf 'setup: %s\n' "$*" >&2; }

# --- system packages ------------------------------------------------------------------------------
pkgs=(libportaudio2 espeak-ng libsndfile1 python3-venv)
if (( DEV )); then
  # virtual microphone/speaker for the audio tests, Chromium for the HTML report test
  # ffmpeg makes the mp3/m4a/ogg/flac files of the decoding tests; flite is a third training voice
  # for the filler probe (scripts/train_fillers.py --extra-families flite), never needed to run voicemock
  pkgs+=(pulseaudio pulseaudio-utils libasound2-plugins alsa-utils sox chromium chromium-driver ffmpeg flite)
fi
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(none); fi
  if [[ "${SUDO[*]-}" == none ]] || ! command -v apt-get >/dev/null 2>&1; then
    say "please install these system packages yourself (no root/sudo or no apt here): ${missing[*]}"
    say "  e.g.: sudo apt-get install ${missing[*]}"
  else
    say "installing system packages: ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- Python environment ---------------------------------------------------------------------------
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { say "voicemock needs Python 3.10 or newer ($PY is older)"; exit 1; }
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
PIP=(.venv/bin/python -m pip install -q --disable-pip-version-check)

if (( DEV )); then
  # llama-cpp-python compiles llama.cpp (about 7 minutes on 2 cores): build the wheel once and keep it.
  CACHE="${VOICEMOCK_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/voicemock-wheels}"
  mkdir -p "$CACHE"
  if ! ls "$CACHE"/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1; then
    say "building llama-cpp-python once into $CACHE (several minutes)"
    .venv/bin/python -m pip wheel -q --no-deps -w "$CACHE" 'llama-cpp-python==0.3.36'
  fi
  "${PIP[@]}" --find-links "$CACHE" -e '.[dev]'
else
  "${PIP[@]}" -e .
fi
say "ready: $(.venv/bin/voicemock --version)"
