#!/usr/bin/env bash
# Set up everything `frameworks` needs on a Debian/Ubuntu machine that has only Python:
#   - the system libraries WeasyPrint needs for PDFs (Pango, HarfBuzz subsetting), and Chromium, in
#     which the tests look at the static website (tests/test_browser.py), installed with apt-get when
#     missing and we are root (otherwise we say what to install and go on);
#   - a virtualenv in .venv with the project (editable) and its test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages (PDF output and the browser tests need them): ${missing[*]}; install them with your package manager" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# axe-core (npm) for the accessibility audit of the website; the tests skip it only where npm is absent.
if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-save --no-audit --no-fund --silent axe-core@4 >/dev/null 2>&1 \
    || echo "setup: could not install axe-core with npm: the website's axe audit will be skipped" >&2
fi
echo "setup: ready (.venv/bin/frameworks)" >&2
