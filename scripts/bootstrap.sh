#!/usr/bin/env bash
# Create .venv at the repository root and install the project with its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    python_bin=$(command -v "$candidate"); break
  fi
done
if [ -z "$python_bin" ]; then
  echo "[bootstrap] Python 3.11+ is required; installing Debian's python3" >&2
  apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
  python_bin=$(command -v python3)
fi
if ! "$python_bin" -c 'import venv, ensurepip' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "[bootstrap] creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
echo "[bootstrap] installing sidedecked-catalog and test tools into .venv"
.venv/bin/python -m pip install --quiet -e '.[test]'
echo "[bootstrap] done: $(.venv/bin/python --version)"
