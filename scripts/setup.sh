#!/usr/bin/env bash
# Everything the tests need beyond a Rust toolchain, installed only when missing (idempotent;
# nothing is done on a machine that has it all). scripts/test.sh runs it first, so the README's
# test command is the whole set-up; CI runs the same. apt-get runs with sudo when not root.
# Cost on a fresh Debian machine: a few minutes of downloads (Chromium, jing, Java 17, PySpark).
set -euo pipefail
cd "$(dirname "$0")/.."

# The views tests (tests/browser.rs, tests/views.rs) need headless Chromium and jing (RELAX NG
# validation of the TEI export against tests/fixtures/tei_all.rng); installed only when absent.
if { [ ! -x /usr/bin/chromium ] || ! command -v jing >/dev/null 2>&1; } && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium jing >/dev/null
fi
# The Spark test (scripts/test.sh, python/): Java 17 from Debian when `java` is missing, and
# PySpark, pyarrow, pandas (PySpark's Arrow UDFs import it), pytest and maturin from PyPI when absent. Idempotent; about 1-2 minutes of
# downloads on a fresh machine, nothing when present.
if ! command -v java >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
fi
if ! python3 -c "import pyspark, pyarrow, pandas, pytest" >/dev/null 2>&1 || ! command -v maturin >/dev/null 2>&1; then
  python3 -m pip install --quiet "pyspark>=4.0,<5" "pyarrow>=14" "pandas>=2.2,<3" pytest "maturin>=1.5,<2"
fi

