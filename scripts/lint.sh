#!/usr/bin/env bash
# The lint step of `make test` (and `make lint`, and the pre-commit hooks): ruff's rules, ruff's
# formatter, mypy over every package and the import-linter layer contracts. Exits non-zero on any
# finding, after running all four so one run shows everything. Configuration: pyproject.toml.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
status=0
step() {
  local name=$1; shift
  local start=$SECONDS
  if "$@"; then
    echo "[lint] $name: ok ($(( SECONDS - start ))s)"
  else
    echo "[lint] $name: FAILED ($(( SECONDS - start ))s)"
    status=1
  fi
}
step "ruff check" "$bin/ruff" check --quiet .
step "ruff format --check" "$bin/ruff" format --check --quiet .
step "mypy" "$bin/mypy"            # packages, strictness and cache dir from pyproject.toml
step "lint-imports" "$bin/lint-imports" --no-logo
exit $status
