#!/usr/bin/env bash
# Set up everything `frameworks` needs on a Debian/Ubuntu machine that has only Python:
#   - the system libraries WeasyPrint needs for PDFs (Pango, HarfBuzz subsetting), installed with
#     apt-get when missing and we are root (otherwise we say what to install and go on);
#   - a virtualenv in .venv with the project (editable) and its test tools.
# With --test, also what only the tests need: Chromium, in which they look at the static website
# (tests/test_site_in_browser.py), poppler-utils (pdftotext, pdftoppm) and, where npm is, axe-core.
#   bash setup.sh            # to use the tool
#   bash setup.sh --test     # to run the tests: bash setup.sh --test && .venv/bin/python -m pytest --heavy
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")"

for_tests=no
for argument in "$@"; do
  case "$argument" in
    --test) for_tests=yes ;;
    *) echo "setup: unknown option $argument (the only option is --test)" >&2; exit 2 ;;
  esac
done

PYTHON=${PYTHON:-python3}
system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$for_tests" = yes ]; then
  system_packages+=(poppler-utils chromium)
fi

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
    echo "setup: missing system packages (PDF output needs them; with --test, the tests too): ${missing[*]}; install them with your package manager" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# axe-core (npm) for the accessibility audit of the website; the tests skip it only where npm is absent.
if [ "$for_tests" = yes ] && command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-save --no-audit --no-fund --silent axe-core@4 >/dev/null 2>&1 \
    || echo "setup: could not install axe-core with npm: the website's axe audit will be skipped" >&2
fi
echo "setup: ready: run .venv/bin/frameworks, or put frameworks on your PATH with: source .venv/bin/activate" >&2
