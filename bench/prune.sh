#!/usr/bin/env bash
# Prune benchmark: `forge prune` against `restic prune` on the same history, in one run.
# Generates a data set (half random bytes, half log-like text), backs it up four times with each tool, changing 5% of
# it and deleting a quarter of its files along the way, forgets all but the newest snapshot, then measures the prune:
# wall time, peak RSS and repository size before and after, per tool.
#
#   bench/prune.sh            256 MiB data set
#   bench/prune.sh --small    64 MiB
#
# Needs: restic and GNU time; installs them with apt-get when missing (as root). Writes under $BENCH_DIR (default
# /tmp/forgeone-bench-prune) and leaves the table in $BENCH_DIR/results.md.
# Thresholds are each tool's default: forge rewrites packs less than 80% used (--repack-below 0.8); restic repacks
# until at most 5% of the repository is unused (--max-unused 5%). Both delete packs with nothing in use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

size=256
[ "${1:-}" = "--small" ] && size=64
work=${BENCH_DIR:-/tmp/forgeone-bench-prune}
rm -rf "$work" && mkdir -p "$work"
data="$work/data"

if ! command -v restic >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq restic time >/dev/null
fi

dotnet build bench -c Release -nologo -v q >/dev/null
# Published for this machine's runtime, so ahead of time compiled (ReadyToRun), as forge ships.
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n1)
dotnet publish src/ForgeOne.Cli -c Release -nologo -v q -r "${rid:-linux-x64}" --self-contained false -o "$work/forge-bin" >/dev/null
forge() { "$work/forge-bin/forge" "$@"; }
dataset() { dotnet bench/bin/Release/net10.0/ForgeOne.Bench.dll dataset "$@"; }

export FORGE_PASSPHRASE=bench-passphrase RESTIC_PASSWORD=bench-passphrase FORGE_CONFIG="$work/no-config.json"
results="$work/results.tsv"
: > "$results"

mib() { echo $(( $(du -sb "$1" | cut -f1) / 1048576 )); }

# measure TOOL REPO command...: wall seconds and peak RSS (MiB) of the command, the repository size before and after.
measure() {
  local tool=$1 repo=$2; shift 2
  local before; before=$(mib "$repo")
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > "$work/$tool-prune.log" 2>&1
  read -r seconds rss_kib < "$work/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$seconds" "$((rss_kib / 1024))" "$before" "$(mib "$repo")" >> "$results"
}

backup_both() {
  forge backup create --repo "$work/forge-repo" "$data" > /dev/null
  restic backup --repo "$work/restic-repo" --compression auto "$data" > /dev/null
}

dataset create "$data" "$size"
logical=$(du -sb "$data" | cut -f1)
forge repo init --repo "$work/forge-repo" > /dev/null
restic init --repo "$work/restic-repo" --repository-version 2 > /dev/null

backup_both
dataset mutate "$data"; backup_both
find "$data" -type f | sort | awk 'NR % 4 == 0' | xargs rm -f   # a quarter of the files gone: whole packs unused
backup_both
dataset mutate "$data"; backup_both

forge forget --repo "$work/forge-repo" --keep-last 1 > /dev/null
restic forget --repo "$work/restic-repo" --keep-last 1 > /dev/null

load=$(cut -d' ' -f1-3 /proc/loadavg)
measure forge  "$work/forge-repo"  "$work/forge-bin/forge" prune --repo "$work/forge-repo"
measure restic "$work/restic-repo" restic prune --repo "$work/restic-repo"

forge check --repo "$work/forge-repo" --read-data > /dev/null
restic check --repo "$work/restic-repo" --read-data > /dev/null 2>&1

{
  echo "Data set: $((logical / 1048576)) MiB logical at the first backup ($size MiB generated), four backups (5% changed twice, a quarter of the files deleted), all but the newest forgotten; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average before the prunes: $load."
  echo "restic $(restic version | cut -d' ' -f2), forge $(forge --version). forge: $(tail -n1 "$work/forge-prune.log")"
  echo
  echo "| tool | wall s | peak RSS MiB | repo MiB before | repo MiB after |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$results"
} | tee "$work/results.md"
