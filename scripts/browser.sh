#!/usr/bin/env bash
# Debian's Chromium for the Playwright browser tests (tests/browser). Playwright's own browser
# download is never used: the tests launch /usr/bin/chromium.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "[browser] $(/usr/bin/chromium --version 2>/dev/null || echo chromium) present"
  exit 0
fi
echo "[browser] installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
echo "[browser] $(/usr/bin/chromium --version)"
