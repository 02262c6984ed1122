#!/usr/bin/env bash
# Evaluates the series detectors on the Numenta Anomaly Benchmark (https://github.com/numenta/NAB, MIT licence):
# per-series precision/recall/F1 with event-window scoring (NAB's label windows are the events), the mean F1 of each
# detector at its defaults, the mean best F1 (tuned per series) and the best single setting across the series.
# NAB's data is not part of this repository: pass a checkout of it (or any folder with NAB's data/ and
# labels/combined_windows.json).
#   scripts/nab-eval.sh PATH-TO-NAB [--group realAWSCloudwatch --group artificialWithAnomaly] [--json]
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1/labels/combined_windows.json" ]; then
  echo "usage: $0 PATH-TO-NAB [tem eval-anomaly options]  (a NAB checkout: git clone https://github.com/numenta/NAB)" >&2
  exit 2
fi
nab=$1
shift
cd "$(dirname "$0")/.."
dotnet build src/Tem.Cli -v q >/dev/null
exec dotnet src/Tem.Cli/bin/Debug/net10.0/tem.dll eval-anomaly --nab "$nab" "$@"
