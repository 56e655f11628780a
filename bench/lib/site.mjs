// The site the benchmark's server serves (`--static`): the release build as it is, plus the
// baseline and the pages both are measured on. Every Kiosque page has a baseline twin that differs
// only in the script it loads.
//
//   /                      the demo page (trunk's index.html)      /baseline/             its twin
//   /examples/             the strict-CSP host page                /examples/baseline/    its twin (same CSP)
//   /bench/kiosque.html    one widget, any article (?src=)         /bench/baseline.html   its twin

import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { widgetFiles } from "../check-budget.mjs";


/** A bare host page with one widget: the article comes from `?src=`, related lists show 50 items
 * at a time (the widget's maximum), and the comment form uses the proof-of-work check. */
function hostPage(script) {
  return `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Kiosque — banc d’essai</title>
    <script type="module" src="${script}"></script>
  </head>
  <body>
    <main>
      <div data-kiosque data-src="/api/articles/bench-blocks-30" data-src-param="src" data-related-limit="50" data-captcha="pow" data-theme="light"></div>
    </main>
  </body>
</html>
`;
}

export function buildSite({ distDir, baselineDir, localesDir, siteDir }) {
  // Timestamps kept: Last-Modified, the validator of every static file, stays the build's.
  cpSync(distDir, siteDir, { recursive: true, preserveTimestamps: true });
  const [wasm, glue, stylesheet] = widgetFiles(distDir);

  // The baseline: one script, with Kiosque's own strings put in place of its placeholder.
  const strings = {
    fr: JSON.parse(readFileSync(join(localesDir, "fr.json"), "utf8")),
    en: JSON.parse(readFileSync(join(localesDir, "en.json"), "utf8")),
  };
  const source = readFileSync(join(baselineDir, "kiosque-baseline.js"), "utf8");
  const placeholder = "/* @strings */ { fr: {}, en: {} }";
  if (!source.includes(placeholder)) throw new Error("bench/baseline/kiosque-baseline.js lost its strings placeholder");
  mkdirSync(join(siteDir, "baseline"), { recursive: true });
  // The widget's stylesheet, under the name (and so the caching) the release build gave it.
  const plainStylesheet = 'new URL("../kiosque.css", import.meta.url)';
  if (!source.includes(plainStylesheet)) throw new Error("bench/baseline/kiosque-baseline.js no longer loads ../kiosque.css");
  const baselineScript = source
    .replace(placeholder, JSON.stringify(strings))
    .replace(plainStylesheet, `new URL(${JSON.stringify(`../${stylesheet}`)}, import.meta.url)`);
  // Content-hashed like the widget's files, so that it is cached the same way (a second visit).
  const baselineName = `kiosque-baseline-${createHash("sha256").update(baselineScript).digest("hex").slice(0, 16)}.js`;
  const baselinePath = `/baseline/${baselineName}`;
  writeFileSync(join(siteDir, "baseline", baselineName), baselineScript);

  // The demo page's twin: the loader's script tag and the preload hints for the glue and the wasm
  // (trunk writes them, see Trunk.toml) replaced by the baseline.
  const demo = readFileSync(join(distDir, "index.html"), "utf8");
  const preloads = [glue, wasm].map((name) => new RegExp(`<link[^>]*${name.replaceAll(".", "\\.")}[^>]*>`, "g"));
  const twin = preloads
    .reduce((page, preload) => page.replace(preload, ""), demo)
    .replace(/<script[^>]*kiosque-loader\.js[^>]*><\/script>/, `<script type=module src=${baselinePath}></script>`);
  if (twin.includes("kiosque-loader.js") || twin.includes(glue) || twin.includes(wasm)) {
    throw new Error("the baseline demo page still loads the widget");
  }
  writeFileSync(join(siteDir, "baseline", "index.html"), twin);

  // The strict-CSP example page's twin, under /examples/ so that the server sends it the same CSP.
  const example = readFileSync(join(distDir, "examples", "index.html"), "utf8");
  const exampleTwin = example.replace('src="/kiosque-loader.js"', `src="${baselinePath}"`).replace('href="host.css"', 'href="../host.css"');
  if (exampleTwin === example) throw new Error("examples/index.html no longer loads /kiosque-loader.js");
  mkdirSync(join(siteDir, "examples", "baseline"), { recursive: true });
  writeFileSync(join(siteDir, "examples", "baseline", "index.html"), exampleTwin);

  mkdirSync(join(siteDir, "bench"), { recursive: true });
  writeFileSync(join(siteDir, "bench", "kiosque.html"), hostPage("/kiosque-loader.js"));
  writeFileSync(join(siteDir, "bench", "baseline.html"), hostPage(baselinePath));
  return { baselineScript };
}

// The article of the demo page (index.html's data-src), as the server and the probe name it.
export const DEMO_ARTICLE = "/fixtures/fr-complet.json";

/** How many body blocks the demo page's article has (the goal of its "body complete" mark). */
export function demoArticleBlocks(root) {
  return JSON.parse(readFileSync(join(root, `.${DEMO_ARTICLE}`), "utf8")).body.length;
}

/** The URL paths of each page, for Kiosque and for the baseline. */
export const PAGES = {
  demo: { kiosque: "/", baseline: "/baseline/" },
  examples: { kiosque: "/examples/", baseline: "/examples/baseline/" },
  host: { kiosque: "/bench/kiosque.html", baseline: "/bench/baseline.html" },
};
