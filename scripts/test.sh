#!/usr/bin/env bash
# The tests, as the README gives them and .ci/run runs them: the Rust tests, then the Python
# package and Spark job (python/): build its wheel, install it, and run the equality test (the
# Spark job's findings on a generated archive == `collatio check`'s).
# Needs a Rust toolchain and python3; scripts/setup.sh (run first) installs what else is missing:
# Chromium and jing for the views tests, Java 17, PySpark, pyarrow, pandas, pytest and maturin.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo test

missing=""
python3 -c "import pyspark, pyarrow, pandas, pytest" 2>/dev/null || missing="pyspark, pyarrow, pandas or pytest"
command -v maturin >/dev/null 2>&1 || missing="$missing maturin"
command -v java >/dev/null 2>&1 || missing="$missing java"
if [ -n "$missing" ]; then
  echo "scripts/test.sh: cannot run the Spark test, missing: $missing" >&2
  # In CI the test must run: a missing tool is a failure, not a skip.
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 0
fi
rm -rf python/dist
# Release: the Spark test runs thousands of documents through the extension.
maturin build --release --quiet -m python/Cargo.toml -o python/dist
python3 -m pip install --quiet --force-reinstall --no-deps python/dist/collatio-*.whl
python3 -m pytest -q python/tests
