#!/usr/bin/env bash
# Backup benchmark: ForgeOne against restic and Borg on the same data, in one run.
# Generates a data set (half random bytes, half log-like text, many files), backs it up with each tool, changes 5%
# of it, backs up again, restores, and prints one table: wall time, peak RSS and repository size per step and tool.
#
#   bench/backup.sh            256 MiB data set
#   bench/backup.sh --large    1 GiB
#
# Needs: restic, borgbackup, GNU time (apt-get install restic borgbackup time). Writes under $BENCH_DIR (default
# /tmp/forgeone-bench) and leaves the table in $BENCH_DIR/results.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

size=256
[ "${1:-}" = "--large" ] && size=1024
work=${BENCH_DIR:-/tmp/forgeone-bench}
rm -rf "$work" && mkdir -p "$work"
data="$work/data"

for tool in restic borg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install restic borgbackup time" >&2; exit 1; }
done

dotnet build bench -c Release -nologo -v q >/dev/null
# Published for this machine's runtime, so ahead of time compiled (ReadyToRun), as forge ships.
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n1)
dotnet publish src/ForgeOne.Cli -c Release -nologo -v q -r "${rid:-linux-x64}" --self-contained false -o "$work/forge-bin" >/dev/null
forge() { "$work/forge-bin/forge" "$@"; }
dataset() { dotnet bench/bin/Release/net10.0/ForgeOne.Bench.dll dataset "$@"; }

export FORGE_PASSPHRASE=bench-passphrase RESTIC_PASSWORD=bench-passphrase BORG_PASSPHRASE=bench-passphrase
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes

dataset create "$data" "$size"
logical=$(du -sb "$data" | cut -f1)
results="$work/results.tsv"
: > "$results"

# measure TOOL STEP REPO command...: wall seconds and peak RSS (MiB) of the command, then the repository size (MiB).
measure() {
  local tool=$1 step=$2 repo=$3; shift 3
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > "$work/$tool-$step.log" 2>&1
  read -r seconds rss_kib < "$work/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$seconds" "$((rss_kib / 1024))" "$(( $(du -sb "$repo" | cut -f1) / 1048576 ))" >> "$results"
}

forge repo init --repo "$work/forge-repo" > /dev/null
restic init --repo "$work/restic-repo" --repository-version 2 > /dev/null
borg init -e repokey-blake2 "$work/borg-repo" > /dev/null

measure forge  backup "$work/forge-repo"  "$work/forge-bin/forge" backup create --repo "$work/forge-repo" "$data"
measure restic backup "$work/restic-repo" restic backup --repo "$work/restic-repo" --compression auto "$data"
measure borg   backup "$work/borg-repo"   borg create --compression zstd,3 "$work/borg-repo::one" "$data"

dataset mutate "$data"

measure forge  re-backup "$work/forge-repo"  "$work/forge-bin/forge" backup create --repo "$work/forge-repo" "$data"
measure restic re-backup "$work/restic-repo" restic backup --repo "$work/restic-repo" --compression auto "$data"
measure borg   re-backup "$work/borg-repo"   borg create --compression zstd,3 "$work/borg-repo::two" "$data"

mkdir -p "$work/restore-forge" "$work/restore-restic" "$work/restore-borg"
measure forge  restore "$work/forge-repo"  "$work/forge-bin/forge" backup restore --repo "$work/forge-repo" --snapshot latest --to "$work/restore-forge"
measure restic restore "$work/restic-repo" restic restore --repo "$work/restic-repo" latest --target "$work/restore-restic"
measure borg   restore "$work/borg-repo"   bash -c "cd '$work/restore-borg' && borg extract '$work/borg-repo::two'"

{
  echo "Data set: $((logical / 1048576)) MiB logical ($size MiB generated, then 5% changed); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
  echo "restic $(restic version | cut -d' ' -f2), borg $(borg --version | cut -d' ' -f2), forge $(forge --version)."
  echo
  echo "| step | tool | wall s | peak RSS MiB | repo MiB |"
  echo "| --- | --- | ---: | ---: | ---: |"
  sort -t$'\t' -k2,2 -s "$results" | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $2, $1, $3, $4, $5 }'
} | tee "$work/results.md"
