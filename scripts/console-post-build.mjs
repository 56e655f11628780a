// Trunk's post-build hook for the console (console/Trunk.toml), release builds only: the brotli
// (.br) and gzip (.gz) copy of each of its files next to it, which the reference server sends as
// they are (files.rs) instead of compressing 470 KB of wasm on every request.
//
//   node scripts/console-post-build.mjs [dir]     (default: $TRUNK_STAGING_DIR, else console/dist)
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

if (process.env.TRUNK_PROFILE === "debug") process.exit(0);
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? "console/dist";
for (const name of await readdir(dir)) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const path = join(dir, name);
  const bytes = await readFile(path);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  await writeFile(`${path}.br`, brotli);
  await writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}
