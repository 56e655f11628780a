#!/usr/bin/env bash
# Prints the size of what a reader downloads: the built wasm, glue, loader and stylesheet, the split
# loader and the wasm parts of the sections under the article, raw and gzip -9. A release build
# names them in kiosque-files.json (scripts/post-build.mjs), each with its content's hash.
set -euo pipefail
dist="${1:-dist}"
manifest="$dist/kiosque-files.json"
[ -f "$manifest" ] || { echo "missing: $manifest (a release build writes it: make build)" >&2; exit 1; }
mapfile -t names < <(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); for (const k of ["wasm", "js", "loader", "css", "split"]) if (m[k]) console.log(m[k]); for (const p of m.parts ?? []) console.log(p);' "$manifest")
printf '%-30s %10s %10s\n' file raw gzip
total_raw=0 total_gzip=0
for name in "${names[@]}"; do
  file="$dist/$name"
  [ -f "$file" ] || { echo "missing: $file" >&2; exit 1; }
  raw=$(wc -c <"$file")
  gzip=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)) total_gzip=$((total_gzip + gzip))
  printf '%-30s %10d %10d\n' "$name" "$raw" "$gzip"
done
printf '%-30s %10d %10d\n' total "$total_raw" "$total_gzip"
