#!/usr/bin/env bash
# Debian packages the tests use for real: a PostgreSQL server (the store's
# PostgreSQL test) and Tesseract with Simplified Chinese (the OCR peer in the
# benchmark). Installed only where missing; as root, or through sudo.
set -euo pipefail
need=()
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-chi-sim)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
