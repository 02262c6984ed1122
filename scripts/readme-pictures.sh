#!/usr/bin/env bash
# Re-renders the README's pictures of the PDF and the workbook from a fresh demo: docs/report-pdf.png (page 1 of
# report.pdf, as Chromium printed it) and docs/report-xlsx.png (the workbook's Charts sheet, as LibreOffice Calc prints
# it). Needs chromium, poppler-utils and libreoffice-calc-nogui (Debian packages). docs/report.png comes from
# TEM_WRITE_SCREENSHOT=1 dotnet test tests/Tem.Reports.Tests --filter WriteReadmeScreenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Tem.Cli -v q >/dev/null
tem="dotnet src/Tem.Cli/bin/Debug/net10.0/tem.dll"
$tem demo --out "$work/demo" --quiet >/dev/null
$tem report --lake "$work/demo/lake" --out "$work/out" --no-tenants --pdf --quiet >/dev/null
pdftoppm -f 1 -l 1 -r 70 -png -singlefile "$work/out/report.pdf" docs/report-pdf
soffice --headless --convert-to pdf --outdir "$work/xlsx" "$work/out/report.xlsx" >/dev/null 2>&1
# The Charts sheet comes second: its first page is the first whose text starts with a chart's title.
page=$(for p in $(seq 1 "$(pdfinfo "$work/xlsx/report.pdf" | awk '/^Pages:/ {print $2}')"); do
         if pdftotext -f "$p" -l "$p" "$work/xlsx/report.pdf" - | head -1 | grep -q "found money by rule$"; then echo "$p"; break; fi
       done)
pdftoppm -f "$page" -l "$page" -r 70 -png -singlefile "$work/xlsx/report.pdf" docs/report-xlsx
echo "docs/report-pdf.png, docs/report-xlsx.png (workbook page $page)"
