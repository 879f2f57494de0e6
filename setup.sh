#!/usr/bin/env bash
# Sets up screener in ./.venv on a fresh machine (Python 3.11). Safe to run again.
#   bash setup.sh          the tool
#   bash setup.sh --dev    the tool plus the test dependencies
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The CPU build of torch first: otherwise pip resolves a CUDA build of several GB. Where pip's
# index has only the CUDA build (PyPI on Linux), name PyTorch's CPU index:
#   TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu bash setup.sh
.venv/bin/python -m pip install -q "torch==2.13.0" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
else
  .venv/bin/python -m pip install -q -e .
fi
