#!/usr/bin/env bash
# Headless Chromium for the browser test of the HTML report (tests/test_report.py):
# Debian's chromium and chromium-driver, and a CJK font so that screenshots show
# Chinese text (fonts-noto-cjk). Idempotent: does nothing when they are present.
# Needs root (or sudo) and apt-get; uses the distribution's package archive only.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; }; then
  need+=(fonts-noto-cjk)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "==> headless browser present: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup_browser.sh: no apt-get here; install ${need[*]} yourself (the browser test skips without chromium)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup_browser.sh: need root (or sudo) to install ${need[*]}" >&2
    exit 1
  fi
fi

echo "==> installing ${need[*]}"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
echo "==> headless browser ready: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
