// Trunk's post-build hook, release builds only (`trunk serve` rebuilds often and serves its own
// way, with the plain names the loader has in its source). Three steps, in this order:
//
// 1. Minify the JavaScript: wasm-bindgen's glue (kiosque.js) and the loader. Trunk's own minifier
//    gives up on the glue's `export default`; terser, in module mode, keeps the exports' names
//    (the loader calls `default`), and the import object's keys are properties, never renamed.
// 2. Give the wasm, the glue and the stylesheet content-hashed names (kiosque_bg-<hash>.wasm,
//    kiosque-<hash>.js, kiosque-<hash>.css: the first 16 hex digits of the SHA-256 of the bytes
//    served), so that browsers and CDNs may keep them for a year (`immutable`): a new build is new
//    names. The loader keeps its stable name, which publishers embed, and gets the hashed names
//    in place of the plain ones of its `FILES` line; index.html (the demo page's stylesheet link
//    and preload hints) too. `kiosque-files.json` lists the names for the tools (the size budget,
//    scripts/sizes.sh, the benchmark).
// 3. Write the brotli (.br) and gzip (.gz) copy of each widget file next to it, so that a server
//    can send them as they are (the reference server does; nginx calls it brotli_static /
//    gzip_static) instead of compressing 500 KB of wasm on every request, or not at all.
//
//   node scripts/post-build.mjs [dir]     (default: $TRUNK_STAGING_DIR, else dist)
import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { minify } from "terser";

const PLAIN = { wasm: "kiosque_bg.wasm", js: "kiosque.js", css: "kiosque.css" };
const LOADER = "kiosque-loader.js";
const MANIFEST = "kiosque-files.json";
// The loader's source line that names the widget's files (loader/kiosque-loader.js).
const LOADER_FILES_LINE = `const FILES = { css: "${PLAIN.css}", js: "${PLAIN.js}", wasm: "${PLAIN.wasm}" };`;

if (process.env.TRUNK_PROFILE === "debug") process.exit(0);
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? "dist";

async function minified(name, source) {
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  if (!code) throw new Error(`post-build: terser returned nothing for ${name}`);
  return code;
}

/** `kiosque.js` → `kiosque-<16 hex digits of the SHA-256 of bytes>.js`. */
function hashedName(name, bytes) {
  const dot = name.indexOf(".");
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  return `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
}

/** Writes `bytes` under their hashed name in place of the plain file; returns the name. */
async function rename(plain, bytes) {
  const name = hashedName(plain, bytes);
  await writeFile(join(dir, name), bytes);
  await rm(join(dir, plain));
  return name;
}

const names = {};
names.wasm = await rename(PLAIN.wasm, await readFile(join(dir, PLAIN.wasm)));
// The glue's default wasm URL (used when it is not handed the wasm, as the loader does).
const glue = (await readFile(join(dir, PLAIN.js), "utf8")).replaceAll(`'${PLAIN.wasm}'`, `'${names.wasm}'`).replaceAll(`"${PLAIN.wasm}"`, `"${names.wasm}"`);
names.js = await rename(PLAIN.js, Buffer.from(await minified(PLAIN.js, glue)));
names.css = await rename(PLAIN.css, await readFile(join(dir, PLAIN.css)));

const loaderSource = await readFile(join(dir, LOADER), "utf8");
if (loaderSource.split(LOADER_FILES_LINE).length !== 2) {
  throw new Error(`post-build: ${LOADER} must contain exactly once the line\n  ${LOADER_FILES_LINE}`);
}
const namedLoader = loaderSource.replace(
  LOADER_FILES_LINE,
  `const FILES = { css: ${JSON.stringify(names.css)}, js: ${JSON.stringify(names.js)}, wasm: ${JSON.stringify(names.wasm)} };`,
);
await writeFile(join(dir, LOADER), await minified(LOADER, namedLoader));

// The demo page: trunk's stylesheet link and the preload hints of Trunk.toml's pattern_preload,
// all of the form href=/kiosque…. (trunk's HTML minifier drops the quotes where it can).
let page = await readFile(join(dir, "index.html"), "utf8");
for (const [key, plain] of Object.entries(PLAIN)) {
  const attribute = new RegExp(`(href=["']?[^"'\\s>]*/)${plain.replaceAll(".", "\\.")}(?=["'\\s>])`, "g");
  if (!attribute.test(page)) throw new Error(`post-build: index.html does not link ${plain}`);
  page = page.replace(attribute, `$1${names[key]}`);
}
await writeFile(join(dir, "index.html"), page);
await writeFile(join(dir, MANIFEST), `${JSON.stringify({ ...names, loader: LOADER }, null, 2)}\n`);

for (const name of [names.wasm, names.js, names.css, LOADER]) {
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
