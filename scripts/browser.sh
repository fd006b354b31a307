#!/usr/bin/env bash
# What the Playwright browser tests (tests/browser) need besides Python packages:
# - Debian's Chromium (Playwright's own browser download is never used: the tests launch
#   /usr/bin/chromium);
# - axe-core from npm (the accessibility check injected into each page), pinned, installed
#   into var/node (gitignored) with npm's ordinary client.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_VERSION=4.11.0
AXE_DIR=var/node

if [ -x /usr/bin/chromium ]; then
  echo "[browser] $(/usr/bin/chromium --version 2>/dev/null || echo chromium) present"
else
  echo "[browser] installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  echo "[browser] $(/usr/bin/chromium --version)"
fi

installed=$(node -p "require('./$AXE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null || true)
if [ "$installed" = "$AXE_VERSION" ]; then
  echo "[browser] axe-core $AXE_VERSION present ($AXE_DIR)"
else
  if ! command -v npm >/dev/null; then
    echo "[browser] installing Debian's nodejs and npm (for axe-core)"
    apt-get install -y -qq nodejs npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
  fi
  echo "[browser] installing axe-core $AXE_VERSION into $AXE_DIR"
  mkdir -p "$AXE_DIR"
  npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --save-exact \
    "axe-core@$AXE_VERSION" >/dev/null
  echo "[browser] axe-core $(node -p "require('./$AXE_DIR/node_modules/axe-core/package.json').version")"
fi
