// The newsroom console's weight as served: each file of its release build and its brotli size
// (the console is for the newsroom, not readers: reported, not budgeted).
//
//   node scripts/console-size.mjs [dir]     (default: console/dist)
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "console/dist";
let total = 0;
let totalBrotli = 0;
for (const name of (await readdir(dir)).sort()) {
  if (!/\.(wasm|js|css|html)$/.test(name)) continue;
  const bytes = await readFile(join(dir, name));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length;
  total += bytes.length;
  totalBrotli += brotli;
  console.log(`${name.padEnd(48)} ${String(bytes.length).padStart(8)} ${String(brotli).padStart(8)}`);
}
console.log(`${"total (bytes, brotli)".padEnd(48)} ${String(total).padStart(8)} ${String(totalBrotli).padStart(8)}`);
