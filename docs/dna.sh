#!/bin/sh
# ForgeOne DNA hash of a folder (docs/design.md, "DNA hash"). Needs GNU find, sort, stat, readlink, wc and b3sum.
# Run "sh dna.sh DIR", or source this file and call "forge_dna DIR". Paths holding a line feed are not supported.
forge_dna() (
  cd -- "$1" || exit 1
  export LC_ALL=C
  find . -mindepth 1 -printf '%P\n' | sort | while IFS= read -r p; do
    if [ -L "$p" ]; then
      printf 'l %s %s %s\n' "$(readlink -n -- "$p" | wc -c)" "$(readlink -n -- "$p" | b3sum --no-names)" "$p"
    elif [ -d "$p" ]; then
      printf 'd 0 %064d %s\n' 0 "$p"
    elif [ -f "$p" ]; then
      printf 'f %s %s %s\n' "$(stat -c %s -- "$p")" "$(b3sum --no-names -- "$p")" "$p"
    fi
  done | b3sum --no-names
)
if [ "$#" -gt 0 ]; then forge_dna "$1"; fi
