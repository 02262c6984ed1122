#!/usr/bin/env bash
# Soak test of the nightly run (not part of CI; takes ~10 minutes on 2 cores):
#   scripts/soak.sh [RUNS] [SERVICES]
# RUNS nightly `tem run`s (default 50) over an inbox whose usage file grows in place before every run (the next slice
# of a generated data set appended, as a PBX or a carrier re-send would), while two `tem sql` readers poll the lake,
# and about every other run is killed with kill -9 at a random moment. Then one last run completes the lake, a clean
# lake is built from the final inbox in one run, and every table of both lakes is exported sorted and compared:
# the script fails unless there are zero differences and no reader ever failed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-50}
services=${2:-300}
work=$(mktemp -d "${TMPDIR:-/tmp}/tem-soak-XXXXXX")
# The work folder stays when the soak fails, to look at the runs' logs and the differing exports.
trap 'if [ "${keep:-1}" = 0 ]; then rm -rf "$work"; else echo "soak: kept $work"; fi' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "soak: building tem (Release) into $work/bin"
dotnet build src/Tem.Cli -c Release -o "$work/bin" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
tem() { dotnet exec "$work/bin/tem.dll" "$@"; }

tem sample-data --out "$work/pool" --services "$services" --months 6 --seed 7 --quiet
inbox="$work/inbox" lake="$work/lake"
mkdir -p "$inbox"
for f in "$work/pool"/*.csv; do
  case "$(basename "$f")" in usage.csv|answer_key.csv) ;; *) cp "$f" "$inbox/" ;; esac
done
total=$(( $(wc -l < "$work/pool/usage.csv") - 1 ))
chunk=$(( (total + runs - 1) / runs ))
head -n 1 "$work/pool/usage.csv" > "$inbox/usage.csv"
echo "soak: $runs runs, $total usage rows arriving $chunk per run, $services services"

kills=0 reader_errors=0 failed_runs=0
: > "$work/readers.log"
for ((i = 1; i <= runs; i++)); do
  # The file grows in place: the next slice of rows is appended before the run.
  first=$(( (i - 1) * chunk + 2 )) last=$(( i * chunk + 1 ))
  sed -n "${first},${last}p" "$work/pool/usage.csv" >> "$inbox/usage.csv"

  # exec: the background job is tem itself, so that kill -9 hits the process holding the lake, not a shell around it.
  ( exec dotnet exec "$work/bin/tem.dll" run --inbox "$inbox" --lake "$lake" --out "$work/out" --quiet >"$work/run-$i.log" 2>&1 ) &
  run_pid=$!
  readers=()
  for r in 1 2; do
    (
      while kill -0 "$run_pid" 2>/dev/null; do
        if [ -f "$lake/_tem/manifest.json" ] && ! tem sql --lake "$lake" --format csv "SELECT count(*) FROM usage" >/dev/null 2>>"$work/readers.log"; then
          echo "reader $r failed during run $i" >> "$work/readers.log"
        fi
      done
    ) &
    readers+=($!)
  done

  if (( RANDOM % 2 == 0 )); then
    sleep "$(( RANDOM % 40 / 10 )).$(( RANDOM % 10 ))"
    if kill -9 "$run_pid" 2>/dev/null; then kills=$((kills + 1)); fi
  fi
  code=0; wait "$run_pid" || code=$?
  wait "${readers[@]}" || true
  if (( code != 0 && code != 137 )); then
    failed_runs=$((failed_runs + 1))
    echo "soak: run $i exited $code:"; tail -n 5 "$work/run-$i.log"
  fi
done
reader_errors=$(grep -c "failed during run" "$work/readers.log" || true)

echo "soak: final run to complete the lake"
tem run --inbox "$inbox" --lake "$lake" --out "$work/out" --quiet >"$work/final.log" 2>&1 || { cat "$work/final.log"; exit 1; }
echo "soak: clean rebuild from the final inbox"
tem run --inbox "$inbox" --lake "$work/clean" --out "$work/clean-out" --quiet >"$work/clean.log" 2>&1 || { cat "$work/clean.log"; exit 1; }

# Every table sorted, without what names a run or a file version: the rows themselves must be equal. Findings: the
# open ones (a finding that an earlier, partial night raised and the complete data no longer shows stays in the
# soaked lake's history as resolved, by design).
declare -A exclude=(
  [rejects]="EXCLUDE (file_id, run_id)"
  [findings]="EXCLUDE (first_seen_run, last_seen_run)"
)
declare -A where=([findings]="WHERE status = 'open'")
differences=0
for table in usage charges pbx_calls accounts services plans rates credits_due resale upgrade parties rejects findings; do
  query="SELECT * ${exclude[$table]:-} FROM $table ${where[$table]:-} ORDER BY ALL"
  tem sql --lake "$lake" --format csv "$query" > "$work/a-$table.csv" 2>"$work/a-$table.err" || { cat "$work/a-$table.err"; exit 1; }
  tem sql --lake "$work/clean" --format csv "$query" > "$work/b-$table.csv" 2>"$work/b-$table.err" || { cat "$work/b-$table.err"; exit 1; }
  rows=$(( $(wc -l < "$work/b-$table.csv") - 1 ))
  diff_lines=$(diff "$work/a-$table.csv" "$work/b-$table.csv" | grep -c '^[<>]' || true)
  printf 'soak: %-12s %8d rows  %d differing lines\n' "$table" "$rows" "$diff_lines"
  differences=$((differences + diff_lines))
done

echo "soak: $runs runs, $kills killed with kill -9, $failed_runs failed otherwise, $reader_errors reader failures, $differences differences against a clean rebuild"
if (( differences == 0 && reader_errors == 0 && failed_runs == 0 )); then keep=0; exit 0; fi
exit 1
