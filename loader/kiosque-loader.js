// Kiosque's loader: the one script a host page includes.
//
//   <div data-kiosque data-src="/articles/42.json"></div>
//   <script type="module" src="/kiosque/kiosque-loader.js"></script>
//
// It is an external module on purpose: pages with a strict Content-Security-Policy
// (script-src 'self' 'wasm-unsafe-eval'; style-src 'self') forbid the inline loader trunk writes.
// The stylesheet, the JavaScript glue and the WebAssembly are fetched from this file's own
// directory, in parallel, and the widgets mount once the stylesheet is in, so they never show
// unstyled. Each widget's article starts downloading at the same time (a preload hint the widget's
// own request then takes over), instead of waiting for the wasm to arrive and start.

// The widget's files, next to this one; `split`, in a release build, is the script that downloads
// the wasm parts of the related news and the comments, imported by the glue (fetched here at the
// same time rather than after it), so needed before the headline too. A release build (scripts/post-build.mjs) writes their
// content-hashed names here, which browsers keep for a year; this file keeps its own name and is
// cached for minutes only, so a new release reaches readers soon. `trunk serve` keeps these names.
const FILES = { css: "kiosque.css", js: "kiosque.js", wasm: "kiosque_bg.wasm", split: null };
const here = new URL(".", import.meta.url);

function stylesheet() {
  const href = new URL(FILES.css, here).href;
  if ([...document.styleSheets].some((sheet) => sheet.href === href)) return Promise.resolve();
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  // Without its stylesheet the widget is plain but readable: mount anyway.
  const settled = new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
  document.head.append(link);
  return settled;
}

/** The article URL a widget will request, when it is plain to see; null leaves it to the widget.
 * A hint only: the widget's configuration (src/config.rs) still decides what it loads, so at
 * worst a refused URL is downloaded once for nothing. */
function articleUrl(host) {
  const param = host.dataset.srcParam;
  const fromQuery = param ? new URLSearchParams(location.search).get(param)?.trim() : "";
  const raw = fromQuery || host.dataset.src?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw, document.baseURI);
    const allowed = /^https?:$/.test(url.protocol) && (!fromQuery || url.origin === location.origin);
    return allowed ? url.href : null;
  } catch {
    return null;
  }
}

function preloadArticles() {
  const hinted = new Set([...document.querySelectorAll('link[rel="preload"]')].map((link) => link.href));
  for (const host of document.querySelectorAll("[data-kiosque]")) {
    const href = articleUrl(host);
    if (!href || hinted.has(href)) continue;
    hinted.add(href);
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    // The widget's fetch is a CORS request with same-origin credentials; the hint must match it.
    link.crossOrigin = "anonymous";
    link.href = href;
    document.head.append(link);
  }
}

/** A page's first Intl.DateTimeFormat costs tens of milliseconds (the browser loads its date
 * data), every later one, in any language, almost nothing: pay it while the wasm downloads rather
 * than on the way to the headline. */
function warmDateFormats() {
  try {
    new Intl.DateTimeFormat(document.documentElement.lang || "fr", { dateStyle: "long", timeStyle: "short" });
  } catch {
    // A malformed lang attribute: the widget chooses its own locale anyway.
  }
}

/** Listing pages: every `data-kiosque-count` element, whose value is an article's API address
 * (`/api/articles/42`), gets its number of comments as its text. One request per server for the
 * whole page (at most 100 ids each), and no wasm: a home page of 30 links stays light. On any
 * failure the element keeps the text the page gave it. */
function showCommentCounts() {
  const byServer = new Map();
  for (const element of document.querySelectorAll("[data-kiosque-count]")) {
    try {
      const url = new URL(element.dataset.kiosqueCount, document.baseURI);
      const at = url.pathname.lastIndexOf("/api/articles/");
      const id = decodeURIComponent(url.pathname.slice(at + 14).split("/")[0]);
      if (at < 0 || !id || !/^https?:$/.test(url.protocol)) continue;
      const base = url.origin + url.pathname.slice(0, at);
      const ids = byServer.get(base) ?? new Map();
      byServer.set(base, ids.set(id, [...(ids.get(id) ?? []), element]));
    } catch {
      // A malformed address or escape: this element keeps its own text.
    }
  }
  for (const [base, ids] of byServer) {
    const all = [...ids.keys()];
    for (let start = 0; start < all.length; start += 100) {
      const batch = all.slice(start, start + 100);
      fetch(`${base}/api/counts?ids=${batch.map(encodeURIComponent).join(",")}`)
        .then((answer) => (answer.ok ? answer.json() : {}))
        .then(({ counts = {} }) => {
          for (const id of batch) {
            const count = counts[id];
            if (Number.isInteger(count)) for (const element of ids.get(id)) element.textContent = countText(element, count);
          }
        })
        .catch(() => {});
    }
  }
}

/** "12 commentaires", "1 comment", in the element's language (French unless it says English). */
function countText(element, count) {
  const english = /^en/i.test(element.closest("[lang]")?.lang ?? "");
  const number = new Intl.NumberFormat(english ? "en" : "fr").format(count);
  if (count === 0) return english ? "No comments" : "Aucun commentaire";
  if (count === 1) return english ? "1 comment" : "1 commentaire";
  return english ? `${number} comments` : `${number} commentaires`;
}

showCommentCounts();
// A listing page with counts and no widget needs nothing more.
if (document.querySelector("[data-kiosque]") || !document.querySelector("[data-kiosque-count]")) {
  preloadArticles();
  const wasm = fetch(new URL(FILES.wasm, here));
  const ready = Promise.all([import(new URL(FILES.js, here).href), stylesheet(), FILES.split && import(new URL(FILES.split, here).href)]);
  warmDateFormats();
  try {
    const [glue] = await ready;
    await glue.default({ module_or_path: wasm });
  } catch (error) {
    // A file missing from the server (one not copied with the others, say): the page keeps what
    // it put in each widget's element.
    console.error(`Kiosque: the widget's files did not load (${error?.message ?? error}); the page's own content stays.`);
  }
}
