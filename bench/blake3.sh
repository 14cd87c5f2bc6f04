#!/usr/bin/env bash
# Compares ForgeOne's BLAKE3 with the reference b3sum on a 1 GiB file in the page cache and prints a markdown table.
#
# Usage: bench/blake3.sh [FILE] [RUNS]
#   FILE  the file to hash; created with 1 GiB of random bytes if missing (default /tmp/forgeone-blake3-1g.bin)
#   RUNS  timed runs per tool and mode, the best of which is reported (default 5)
#
# b3sum is timed as a whole process (start-up is about a millisecond); ForgeOne is timed inside one process after a
# warm-up run, by `dotnet run -c Release --project bench -- blake3 FILE RUNS`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
file="${1:-/tmp/forgeone-blake3-1g.bin}"
runs="${2:-5}"
size=$((1024 * 1024 * 1024))

if ! command -v b3sum >/dev/null; then
    echo "b3sum is not on PATH; run \`apt-get install b3sum\`." >&2
    exit 1
fi

if [ ! -f "$file" ]; then
    echo "Creating $file (1 GiB of random bytes)..." >&2
    head -c "$size" /dev/urandom > "$file"
fi
bytes=$(stat -c %s "$file")

# Read the file once so every tool hashes it from the page cache.
cat "$file" > /dev/null

dotnet build -c Release "$root/bench" -v quiet -nologo > /dev/null

# Prints the best wall time in seconds of RUNS runs of the given command.
best_of() {
    local best=""
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" > /dev/null
        end=$(date +%s%N)
        local elapsed=$((end - start))
        if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.4f", ns / 1e9 }'
}

b3_single=$(best_of b3sum --num-threads 1 --no-names "$file")
b3_multi=$(best_of b3sum --no-names "$file")
ours=$(dotnet "$root/bench/bin/Release/net10.0/ForgeOne.Bench.dll" blake3 "$file" "$runs")
hash=$(b3sum --no-names "$file")
if ! grep -q "# hash $hash" <<< "$ours"; then
    echo "ForgeOne's hash differs from b3sum's ($hash):" >&2
    echo "$ours" >&2
    exit 1
fi

ours_single=$(awk -F'\t' '$2 == "single-threaded" { print $3 }' <<< "$ours")
ours_multi=$(awk -F'\t' '$2 == "multi-threaded" { print $3 }' <<< "$ours")
ours_memory=$(awk -F'\t' '$2 == "in-memory, single-threaded" { print $3 }' <<< "$ours")

row() { # tool mode seconds reference-seconds
    awk -v tool="$1" -v mode="$2" -v s="$3" -v ref="$4" -v bytes="$bytes" \
        'BEGIN { printf "| %s | %s | %.3f | %.2f | %.2f |\n", tool, mode, s, bytes / s / 1e9, s / ref }'
}

echo "| tool | mode | seconds | GB/s | ratio to b3sum |"
echo "| --- | --- | ---: | ---: | ---: |"
row "b3sum $(b3sum --version | awk '{ print $2 }')" "--num-threads 1" "$b3_single" "$b3_single"
row "b3sum" "all threads" "$b3_multi" "$b3_multi"
row "ForgeOne" "single-threaded (Blake3Hasher.Update over the mapped file)" "$ours_single" "$b3_single"
row "ForgeOne" "multi-threaded (Blake3.HashFile)" "$ours_multi" "$b3_multi"
row "ForgeOne" "single-threaded, input already in memory" "$ours_memory" "$b3_single"
echo
echo "Best of $runs runs; $(nproc) processors; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); file $file."
