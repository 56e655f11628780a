#!/usr/bin/env node
// The size budget: what a reader downloads for the widget (the wasm, the glue and the stylesheet
// under their content-hashed names, and kiosque-loader.js), compressed with brotli at quality 11 as
// a static host would pre-compress it, must stay within `bench/budget.json`. Sizes are
// deterministic for a given build, so unlike timings they can be checked on every test run.
//
//   node bench/check-budget.mjs [dist]      prints the sizes; exits 1 over budget, 2 on a missing file
//
// Only Node's own modules: it runs on a fresh clone with nothing installed.

import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** What a release build's post-build step (scripts/post-build.mjs) writes next to the widget: the
 * names it gave the hashed files. */
export const MANIFEST = "kiosque-files.json";

/** The widget's files in the release build in `dist`, as named there: the wasm, the glue, the
 * stylesheet (content-hashed) and the loader. Throws, saying why, when `dist` is no release build. */
export function widgetFiles(dist) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dist, MANIFEST), "utf8"));
  } catch (error) {
    throw new Error(`no release build in ${dist}: cannot read ${MANIFEST} (${error.code ?? error.message})`);
  }
  const names = [manifest.wasm, manifest.js, manifest.css, manifest.loader];
  if (!names.every((name) => typeof name === "string" && name && !name.includes("/"))) {
    throw new Error(`${join(dist, MANIFEST)}: expected the file names of wasm, js, css and loader`);
  }
  return names;
}

/** Raw, gzip -9 and brotli -q 11 sizes of one file's bytes. */
export function compressedSizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

/** The sizes of the widget's files in `dist` and their total. Throws when a file is missing. */
export function widgetSizes(dist) {
  const files = widgetFiles(dist).map((name) => ({ name, ...compressedSizes(readFileSync(join(dist, name))) }));
  const total = { name: "total", raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) for (const key of ["raw", "gzip", "brotli"]) total[key] += file[key];
  return { files, total };
}

export function readBudget(path = join(dirname(fileURLToPath(import.meta.url)), "budget.json")) {
  const budget = JSON.parse(readFileSync(path, "utf8"));
  if (!Number.isInteger(budget.brotli_total_bytes)) throw new Error(`${path}: brotli_total_bytes must be an integer`);
  return budget;
}

function main() {
  const dist = process.argv[2] ?? "dist";
  let sizes;
  try {
    sizes = widgetSizes(dist);
  } catch (error) {
    console.error(`check-budget: ${error.message} (build first: make build)`);
    process.exit(2);
  }
  const budget = readBudget();
  const row = (name, raw, gzip, brotli) =>
    console.log(`${name.padEnd(30)}${String(raw).padStart(10)}${String(gzip).padStart(10)}${String(brotli).padStart(10)}`);
  row("file", "raw", "gzip", "brotli");
  for (const file of sizes.files) row(file.name, file.raw, file.gzip, file.brotli);
  row("total", sizes.total.raw, sizes.total.gzip, sizes.total.brotli);
  const used = sizes.total.brotli;
  const limit = budget.brotli_total_bytes;
  const percent = ((used / limit) * 100).toFixed(1);
  if (used > limit) {
    console.error(
      `size budget exceeded: ${used} bytes brotli > ${limit} (bench/budget.json), ${used - limit} bytes over.\n` +
        "Make it smaller, or raise the budget in the same change and say why in its \"why\" field.",
    );
    process.exit(1);
  }
  console.log(`size budget: ${used} of ${limit} bytes brotli (${percent} %), ${limit - used} bytes to spare`);
}

if (process.argv[1] && basename(process.argv[1]) === basename(fileURLToPath(import.meta.url))) main();
