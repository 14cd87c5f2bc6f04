#!/usr/bin/env bash
# Backup benchmark: ForgeOne against restic and Borg on the same data, in one run.
# Generates a data set (half random bytes, half log-like text, many files), backs it up with each tool, changes 5%
# of it, backs up again, restores, and prints one table: wall time, peak RSS and repository size per step and tool.
#
#   bench/backup.sh            256 MiB data set
#   bench/backup.sh --large    1 GiB
#   BENCH_RUNS=5 bench/backup.sh   runs per step (default 3; the table shows the median run)
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
# Caches (and Borg's record of what it last saw of a repository) live with the repositories, so a repository copied
# back for the next run comes with the state that matches it.
export RESTIC_CACHE_DIR="$work/restic-cache" BORG_CACHE_DIR="$work/borg-cache" BORG_SECURITY_DIR="$work/borg-security"

dataset create "$data" "$size"
logical=$(du -sb "$data" | cut -f1)

# The VM this runs on is shared and its speed drifts from minute to minute, so every step runs $runs times with the
# tools interleaved, each on a fresh copy of the same starting repository, and the table gives the median run.
runs=${BENCH_RUNS:-3}

# measure TOOL STEP REPO command...: wall seconds and peak RSS (MiB) of one run, then the repository size (MiB).
measure() {
  local tool=$1 step=$2 repo=$3; shift 3
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > "$work/$tool-$step.log" 2>&1
  read -r seconds rss_kib < "$work/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$step" "$seconds" "$((rss_kib / 1024))" "$(( $(du -sb "$repo" | cut -f1) / 1048576 ))" >> "$runs_file"
}

# save STATE / fresh TOOL STATE: every tool's repository and cache kept as STATE (empty, backed-up) / one tool's put back.
save() {
  mkdir -p "$work/$1"
  for tool in forge restic borg; do rm -rf "$work/$1/$tool"; cp -a "$work/$tool-repo" "$work/$1/$tool"; done
  for state in restic-cache borg-cache borg-security; do rm -rf "$work/$1/$state"; mkdir -p "$work/$state"; cp -a "$work/$state" "$work/$1/$state"; done
}
fresh() {
  rm -rf "$work/$1-repo"; cp -a "$work/$2/$1" "$work/$1-repo"
  for state in "$work/$2/$1"-*; do
    [ -e "$state" ] || continue
    rm -rf "$work/$(basename "$state")"; cp -a "$state" "$work/$(basename "$state")"
  done
}

runs_file="$work/runs.tsv"
: > "$runs_file"
forge repo init --repo "$work/forge-repo" > /dev/null
restic init --repo "$work/restic-repo" --repository-version 2 > /dev/null
borg init -e repokey-blake2 "$work/borg-repo" > /dev/null 2>&1
save empty

for run in $(seq "$runs"); do
  fresh forge empty;  measure forge  backup "$work/forge-repo"  "$work/forge-bin/forge" backup create --repo "$work/forge-repo" "$data"
  fresh restic empty; measure restic backup "$work/restic-repo" restic backup --repo "$work/restic-repo" --compression auto "$data"
  fresh borg empty;   measure borg   backup "$work/borg-repo"   borg create --compression zstd,3 "$work/borg-repo::one" "$data"
done
save backed-up

dataset mutate "$data"

for run in $(seq "$runs"); do
  fresh forge backed-up;  measure forge  re-backup "$work/forge-repo"  "$work/forge-bin/forge" backup create --repo "$work/forge-repo" "$data"
  fresh restic backed-up; measure restic re-backup "$work/restic-repo" restic backup --repo "$work/restic-repo" --compression auto "$data"
  fresh borg backed-up;   measure borg   re-backup "$work/borg-repo"   borg create --compression zstd,3 "$work/borg-repo::two" "$data"
done

for run in $(seq "$runs"); do
  for tool in forge restic borg; do rm -rf "$work/restore-$tool"; mkdir -p "$work/restore-$tool"; done
  measure forge  restore "$work/forge-repo"  "$work/forge-bin/forge" backup restore --repo "$work/forge-repo" --snapshot latest --to "$work/restore-forge"
  measure restic restore "$work/restic-repo" restic restore --repo "$work/restic-repo" latest --target "$work/restore-restic"
  measure borg   restore "$work/borg-repo"   bash -c "cd '$work/restore-borg' && borg extract '$work/borg-repo::two'"
done

# The median run of each tool and step (by wall time), with its peak RSS and repository size.
results="$work/results.tsv"
sort -t$'\t' -k1,1 -k2,2 -k3,3n "$runs_file" | awk -F'\t' -v OFS='\t' '
  { key = $1 FS $2; rows[key, ++count[key]] = $0; if (!(key in order)) order[key] = ++keys; names[order[key]] = key }
  END { for (i = 1; i <= keys; i++) { key = names[i]; print rows[key, int((count[key] + 1) / 2)] } }' > "$results"

{
  echo "Data set: $((logical / 1048576)) MiB logical ($size MiB generated, then 5% changed); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')."
  echo "restic $(restic version | cut -d' ' -f2), borg $(borg --version | cut -d' ' -f2), forge $(forge --version). Median of $runs runs per step (all runs: $runs_file)."
  echo
  echo "| step | tool | wall s | peak RSS MiB | repo MiB |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for step in backup re-backup restore; do
    for tool in forge restic borg; do
      awk -F'\t' -v t="$tool" -v s="$step" '$1 == t && $2 == s { printf "| %s | %s | %s | %s | %s |\n", s, t, $3, $4, $5 }' "$results"
    done
  done
} | tee "$work/results.md"
