// Trunk's post-build hook, release builds only (`trunk serve` rebuilds often and serves its own
// way, with the plain names the loader has in its source). In this order:
//
// 1. Split (builds with the cargo feature `split`, as scripts/build-widget.sh makes them): trunk
//    cannot cut a wasm in parts (wasm-split must run on cargo's output, before wasm-bindgen), so
//    this step does it again from cargo's output: wasm-split-cli cuts out the code of the related
//    news and of the comment section (mount_related_section, mount_comment_section) into parts of
//    their own, with a chunk of what both use and the small script that downloads them
//    (kiosque_split.js); wasm-bindgen then makes the glue of the main part, keeping the exports
//    the parts call. A build without the feature has nothing to split.
// 2. Optimize every wasm with wasm-opt (trunk's own pass is off in index.html: it would optimize
//    the uncut wasm, for nothing, in a split build).
// 3. Minify the JavaScript: wasm-bindgen's glue (kiosque.js), the split loader and the loader.
//    Trunk's own minifier gives up on the glue's `export default`; terser, in module mode, keeps
//    the exports' names (the loader calls `default`), and the import object's keys are
//    properties, never renamed.
// 4. Give the wasm, its parts, the glue, the split loader and the stylesheet content-hashed names
//    (kiosque_bg-<hash>.wasm, kiosque-<hash>.js, …: the first 16 hex digits of the SHA-256 of the
//    bytes served), so that browsers and CDNs may keep them for a year (`immutable`): a new build
//    is new names. The loader keeps its stable name, which publishers embed, and gets the hashed
//    names in place of the plain ones of its `FILES` line; index.html (the demo page's stylesheet
//    link and preload hints) too. `kiosque-files.json` lists the names for the tools (the size
//    budgets, scripts/sizes.sh, the benchmark).
// 5. Write the brotli (.br) and gzip (.gz) copy of each widget file next to it, so that a server
//    can send them as they are (the reference server does; nginx calls it brotli_static /
//    gzip_static) instead of compressing 500 KB of wasm on every request, or not at all.
//
//   node scripts/post-build.mjs [dir]     (default: $TRUNK_STAGING_DIR, else dist)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { minify } from "terser";

const PLAIN = { wasm: "kiosque_bg.wasm", js: "kiosque.js", css: "kiosque.css", split: "kiosque_split.js" };
const LOADER = "kiosque-loader.js";
const MANIFEST = "kiosque-files.json";
// The loader's source line that names the widget's files (loader/kiosque-loader.js).
const LOADER_FILES_LINE = `const FILES = { css: "${PLAIN.css}", js: "${PLAIN.js}", wasm: "${PLAIN.wasm}", split: null };`;
// What wasm-split-cli names what it writes, and what the glue of an uncut split build imports.
const SPLIT_OUTPUT = "__wasm_split.js";
const SPLIT_PLACEHOLDER = "__wasm_split_placeholder__";
// The wasm features the widget is built with (wasm-bindgen reads them from the wasm; wasm-opt
// must be told, or it refuses the module).
const WASM_OPT = ["-Oz", "--enable-bulk-memory", "--enable-bulk-memory-opt", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];

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

function run(command, args) {
  try {
    execFileSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  } catch (error) {
    throw new Error(`post-build: ${command} ${args.join(" ")} failed (${error.message}); scripts/setup.sh installs it`);
  }
}

/** Replaces the one occurrence of `from` in `text` (a file name in quotes); throws on none or two. */
function replaceOnce(text, from, to, where) {
  if (text.split(from).length !== 2) throw new Error(`post-build: ${where} must name ${from} exactly once`);
  return text.replace(from, to);
}

/** `text` importing `to` instead of `from`: only the import statements (the glue also has the
 * name as the wasm's import module, which stays; it imports it once per part). */
function replaceImport(text, from, to, where) {
  const statement = new RegExp(`(from\\s*)"\\./${from.replaceAll(".", "\\.")}"`, "g");
  if (!statement.test(text)) throw new Error(`post-build: ${where} must import ./${from}`);
  return text.replace(statement, `$1"./${to}"`);
}

/** Step 1: the parts' names (`split_comments.wasm`), after cutting cargo's wasm; none unsplit. */
async function split() {
  const glue = await readFile(join(dir, PLAIN.js), "utf8");
  if (!glue.includes(SPLIT_PLACEHOLDER)) return [];
  let metadata;
  try {
    metadata = JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps", "--offline"], { encoding: "utf8" }));
  } catch (error) {
    throw new Error(`post-build: cargo metadata, to find cargo's wasm, failed (${error.message})`);
  }
  const cargoWasm = join(metadata.target_directory, "wasm32-unknown-unknown", "release", "kiosque.wasm");
  const work = join(metadata.target_directory, "wasm-split");
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, "bindgen"), { recursive: true });
  run("wasm-split-cli", [cargoWasm, work, "--out-name", "kiosque"]);
  run("wasm-bindgen", ["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-dir", join(work, "bindgen"), "--out-name", "kiosque", join(work, "kiosque.wasm")]);
  await copyFile(join(work, "bindgen", PLAIN.js), join(dir, PLAIN.js));
  await copyFile(join(work, "bindgen", PLAIN.wasm), join(dir, PLAIN.wasm));
  await copyFile(join(work, SPLIT_OUTPUT), join(dir, PLAIN.split));
  const parts = (await readdir(work)).filter((name) => name.endsWith(".wasm") && name !== "kiosque.wasm").sort();
  for (const part of parts) await copyFile(join(work, part), join(dir, part));
  return parts;
}

const parts = await split();
for (const wasm of [PLAIN.wasm, ...parts]) run("wasm-opt", [...WASM_OPT, join(dir, wasm), "-o", join(dir, wasm)]);

const names = { parts: [] };
names.wasm = await rename(PLAIN.wasm, await readFile(join(dir, PLAIN.wasm)));
// The glue's default wasm URL (used when it is not handed the wasm, as the loader does).
let glue = (await readFile(join(dir, PLAIN.js), "utf8")).replaceAll(`'${PLAIN.wasm}'`, `'${names.wasm}'`).replaceAll(`"${PLAIN.wasm}"`, `"${names.wasm}"`);
glue = await minified(PLAIN.js, glue);
if (parts.length > 0) {
  // The split loader fetches the parts by name, imports the glue, and the glue imports it: a
  // cycle of names. Its own name hashes its text and the glue's as they are before either
  // names the other, so that a change to either gives both new names.
  let splitLoader = await readFile(join(dir, PLAIN.split), "utf8");
  for (const part of parts) {
    const name = await rename(part, await readFile(join(dir, part)));
    splitLoader = replaceOnce(splitLoader, `"./${part}"`, `"./${name}"`, SPLIT_OUTPUT);
    names.parts.push(name);
  }
  splitLoader = await minified(PLAIN.split, splitLoader);
  names.split = hashedName(PLAIN.split, splitLoader + glue);
  glue = replaceImport(glue, SPLIT_OUTPUT, names.split, "the glue");
  names.js = await rename(PLAIN.js, Buffer.from(glue));
  splitLoader = replaceImport(splitLoader, PLAIN.js, names.js, SPLIT_OUTPUT);
  await writeFile(join(dir, names.split), splitLoader);
  await rm(join(dir, PLAIN.split));
} else {
  names.js = await rename(PLAIN.js, Buffer.from(glue));
}
names.css = await rename(PLAIN.css, await readFile(join(dir, PLAIN.css)));

const loaderSource = await readFile(join(dir, LOADER), "utf8");
if (loaderSource.split(LOADER_FILES_LINE).length !== 2) {
  throw new Error(`post-build: ${LOADER} must contain exactly once the line\n  ${LOADER_FILES_LINE}`);
}
const namedLoader = loaderSource.replace(
  LOADER_FILES_LINE,
  `const FILES = { css: ${JSON.stringify(names.css)}, js: ${JSON.stringify(names.js)}, wasm: ${JSON.stringify(names.wasm)}, split: ${JSON.stringify(names.split ?? null)} };`,
);
await writeFile(join(dir, LOADER), await minified(LOADER, namedLoader));

// The demo page: trunk's stylesheet link and the preload hints of Trunk.toml's pattern_preload,
// all of the form href=/kiosque…. (trunk's HTML minifier drops the quotes where it can).
let page = await readFile(join(dir, "index.html"), "utf8");
for (const key of ["wasm", "js", "css"]) {
  const plain = PLAIN[key];
  const attribute = new RegExp(`(href=["']?[^"'\\s>]*/)${plain.replaceAll(".", "\\.")}(?=["'\\s>])`, "g");
  if (!attribute.test(page)) throw new Error(`post-build: index.html does not link ${plain}`);
  page = page.replace(attribute, `$1${names[key]}`);
}
if (names.split) {
  // The glue imports the split loader: a hint for it next to the glue's, or the glue waits for it.
  const glueHint = new RegExp(`<link[^>]*\\b${names.js.replaceAll(".", "\\.")}\\b[^>]*>`);
  const hint = page.match(glueHint)?.[0];
  if (!hint || !/modulepreload/.test(hint)) throw new Error(`post-build: index.html has no modulepreload hint for ${names.js}`);
  page = page.replace(hint, `${hint}${hint.replace(names.js, names.split)}`);
}
await writeFile(join(dir, "index.html"), page);
await writeFile(join(dir, MANIFEST), `${JSON.stringify({ ...names, loader: LOADER }, null, 2)}\n`);

for (const name of [names.wasm, names.js, names.css, LOADER, ...(names.split ? [names.split] : []), ...names.parts]) {
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
