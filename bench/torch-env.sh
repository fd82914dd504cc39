#!/usr/bin/env bash
# The PyTorch reference for `npm run bench:train`: a cached venv with torch from PyPI (not a
# project dependency). Prints the venv's python as the last line.
set -euo pipefail
venv="${XDG_CACHE_HOME:-$HOME/.cache}/micstream/bench-venv"
if ! "$venv/bin/python" -c 'import torch, numpy' >/dev/null 2>&1; then
  echo "bench: installing torch and numpy from PyPI into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch numpy >&2
fi
echo "$venv/bin/python"
