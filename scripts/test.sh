#!/usr/bin/env bash
# One command for a fresh machine: set up everything the tests need, lint, type-check, then run every
# test lane (plain `pytest` runs only the fast lane). Extra arguments go to pytest.
# pytest's exit 5 ("no tests collected") counts as a failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --dev
echo "test: ruff" >&2
.venv/bin/ruff check src tests benchmarks
echo "test: mypy" >&2
.venv/bin/mypy
echo "test: pytest (all lanes)" >&2
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider -m "" "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then echo "test: pytest collected no tests: failing" >&2; exit 1; fi
exit $rc
