#!/usr/bin/env bash
# Debian packages the tests use for real: a PostgreSQL server (the store's
# PostgreSQL test), Tesseract with Simplified Chinese (the OCR peer in the
# benchmark), Chromium and LibreOffice with CJK fonts (the printers of the test
# corpus). Installed only where missing; as root, or through sudo.
set -euo pipefail
need=()
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-chi-sim)
# The test corpus is printed by other programs than ours: Chromium (HTML), LibreOffice (XLSX, DOCX),
# in the CJK fonts offices use.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
command -v fc-match >/dev/null 2>&1 || need+=(fontconfig)
for font in fonts-noto-cjk fonts-arphic-uming fonts-wqy-zenhei; do
  dpkg -s "$font" >/dev/null 2>&1 || need+=("$font")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
