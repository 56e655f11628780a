// Trunk's post-build hook, release builds only (`trunk serve` rebuilds often and serves its own
// way). Two steps, in this order:
//
// 1. Minify the JavaScript: wasm-bindgen's glue (kiosque.js) and the loader. Trunk's own minifier
//    gives up on the glue's `export default`; terser, in module mode, keeps the exports' names
//    (the loader calls `default`), and the import object's keys are properties, never renamed.
// 2. Write the brotli (.br) and gzip (.gz) copy of each widget file next to it, so that a server
//    can send them as they are (the reference server does; nginx calls it brotli_static /
//    gzip_static) instead of compressing 500 KB of wasm on every request, or not at all.
//
//   node scripts/post-build.mjs [dir]     (default: $TRUNK_STAGING_DIR, else dist)
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { minify } from "terser";

const WIDGET_FILES = ["kiosque_bg.wasm", "kiosque.js", "kiosque.css", "kiosque-loader.js"];
const SCRIPTS = ["kiosque.js", "kiosque-loader.js"];

if (process.env.TRUNK_PROFILE === "debug") process.exit(0);
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? "dist";

for (const name of SCRIPTS) {
  const path = join(dir, name);
  const source = await readFile(path, "utf8");
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  if (!code) throw new Error(`terser returned nothing for ${name}`);
  await writeFile(path, code);
}

for (const name of WIDGET_FILES) {
  const path = join(dir, name);
  const bytes = await readFile(path);
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  await writeFile(`${path}.br`, brotli);
  await writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 }));
}
