#!/usr/bin/env bash
# What the tests need that pip cannot install: Chromium for the browser tests,
# redis-server for the two-node tests (they start their own on a free port of
# 127.0.0.1) and wrk for the minute of load over them. Installed from Debian's
# packages when missing, where apt-get may run; otherwise the names of what is
# missing, and the exit status says so.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
  || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "The tests need: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]}) and run make test again." >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need: ${missing[*]} (no apt-get here: install them with this system's packages)." >&2
  exit 1
fi
echo "Installing what the tests need: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian starts the packaged Redis as a service; the tests start their own.
if [[ " ${missing[*]} " == *" redis-server "* ]]; then
  "${sudo[@]}" service redis-server stop >/dev/null 2>&1 || true
fi
