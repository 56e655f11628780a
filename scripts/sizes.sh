#!/usr/bin/env bash
# Prints the size of what a reader downloads: the built .wasm, .js and .css, raw and gzip -9.
set -euo pipefail
dist="${1:-dist}"
printf '%-22s %10s %10s\n' file raw gzip
total_raw=0 total_gzip=0
for file in "$dist"/kiosque_bg.wasm "$dist"/kiosque.js "$dist"/kiosque-loader.js "$dist"/kiosque.css; do
  [ -f "$file" ] || { echo "missing: $file" >&2; exit 1; }
  raw=$(wc -c <"$file")
  gzip=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)) total_gzip=$((total_gzip + gzip))
  printf '%-22s %10d %10d\n' "$(basename "$file")" "$raw" "$gzip"
done
printf '%-22s %10d %10d\n' total "$total_raw" "$total_gzip"
