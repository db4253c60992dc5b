#!/usr/bin/env bash
# One command for a fresh machine: set up everything the tests need, then run them.
# Extra arguments go to pytest. pytest's exit 5 ("no tests collected") counts as a failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --dev
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then echo "test: pytest collected no tests: failing" >&2; exit 1; fi
exit $rc
