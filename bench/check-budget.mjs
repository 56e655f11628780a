#!/usr/bin/env node
// The size budgets: what a reader downloads for the widget, compressed with brotli at quality 11 as
// a static host would pre-compress it, must stay within `bench/budget.json`, twice over: before
// the headline (kiosque-loader.js, the stylesheet, the glue, the split loader and the main wasm:
// what a reader who never scrolls transfers) and in all (with the wasm parts of the sections under
// the article, downloaded when the reader comes near them). Sizes are deterministic for a given
// build, so unlike timings they can be checked on every test run.
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

function readManifest(dist) {
  try {
    return JSON.parse(readFileSync(join(dist, MANIFEST), "utf8"));
  } catch (error) {
    throw new Error(`no release build in ${dist}: cannot read ${MANIFEST} (${error.code ?? error.message})`);
  }
}

const isFileName = (name) => typeof name === "string" && name && !name.includes("/");

/** The files a reader downloads before the headline, in the release build in `dist`, as named
 * there: the wasm, the glue, the stylesheet, the loader, then the split loader when the build is
 * split. Throws, saying why, when `dist` is no release build. */
export function widgetFiles(dist) {
  const manifest = readManifest(dist);
  const names = [manifest.wasm, manifest.js, manifest.css, manifest.loader];
  if (!names.every(isFileName)) {
    throw new Error(`${join(dist, MANIFEST)}: expected the file names of wasm, js, css and loader`);
  }
  return manifest.split ? [...names, manifest.split] : names;
}

/** The wasm parts of the sections under the article (none in an unsplit build). */
export function partFiles(dist) {
  const parts = readManifest(dist).parts ?? [];
  if (!Array.isArray(parts) || !parts.every(isFileName)) throw new Error(`${join(dist, MANIFEST)}: parts must be file names`);
  return parts;
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

/** The sizes of the widget's files in `dist` (`later`: a part, downloaded near its section), the
 * sum of those before the headline, and the total. Throws when a file is missing. */
export function widgetSizes(dist) {
  const measure = (later) => (name) => ({ name, later, ...compressedSizes(readFileSync(join(dist, name))) });
  const files = [...widgetFiles(dist).map(measure(false)), ...partFiles(dist).map(measure(true))];
  const sum = (name, chosen) => {
    const row = { name, raw: 0, gzip: 0, brotli: 0 };
    for (const file of chosen) for (const key of ["raw", "gzip", "brotli"]) row[key] += file[key];
    return row;
  };
  return { files, beforeHeadline: sum("before the headline", files.filter((file) => !file.later)), total: sum("total", files) };
}

export function readBudget(path = join(dirname(fileURLToPath(import.meta.url)), "budget.json")) {
  const budget = JSON.parse(readFileSync(path, "utf8"));
  for (const key of ["brotli_before_headline_bytes", "brotli_total_bytes"]) {
    if (!Number.isInteger(budget[key])) throw new Error(`${path}: ${key} must be an integer`);
  }
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
    console.log(`${name.padEnd(58)}${String(raw).padStart(10)}${String(gzip).padStart(10)}${String(brotli).padStart(10)}`);
  row("file", "raw", "gzip", "brotli");
  for (const file of sizes.files) row(`${file.name}${file.later ? " (near its section)" : ""}`, file.raw, file.gzip, file.brotli);
  for (const sum of [sizes.beforeHeadline, sizes.total]) row(sum.name, sum.raw, sum.gzip, sum.brotli);
  let over = false;
  for (const [what, used, limit, key] of [
    ["before the headline", sizes.beforeHeadline.brotli, budget.brotli_before_headline_bytes, "brotli_before_headline_bytes"],
    ["in all", sizes.total.brotli, budget.brotli_total_bytes, "brotli_total_bytes"],
  ]) {
    if (used > limit) {
      over = true;
      console.error(
        `size budget exceeded ${what}: ${used} bytes brotli > ${limit} (bench/budget.json, ${key}), ${used - limit} bytes over.\n` +
          "Make it smaller, or raise the budget in the same change and say why in its \"why\" field.",
      );
    } else {
      console.log(`size budget ${what}: ${used} of ${limit} bytes brotli (${((used / limit) * 100).toFixed(1)} %), ${limit - used} bytes to spare`);
    }
  }
  if (over) process.exit(1);
}

if (process.argv[1] && basename(process.argv[1]) === basename(fileURLToPath(import.meta.url))) main();
