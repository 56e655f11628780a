// Kiosque's loader: the one script a host page includes.
//
//   <div data-kiosque data-src="/articles/42.json"></div>
//   <script type="module" src="/kiosque/kiosque-loader.js"></script>
//
// It is an external module on purpose: pages with a strict Content-Security-Policy
// (script-src 'self' 'wasm-unsafe-eval'; style-src 'self') forbid the inline loader trunk writes.
// The stylesheet, the JavaScript glue and the WebAssembly are fetched from this file's own
// directory, in parallel, and the widgets mount once the stylesheet is in, so they never show
// unstyled.

const here = new URL(".", import.meta.url);

function stylesheet() {
  const href = new URL("kiosque.css", here).href;
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

const wasm = fetch(new URL("kiosque_bg.wasm", here));
const [glue] = await Promise.all([import(new URL("kiosque.js", here).href), stylesheet()]);
await glue.default({ module_or_path: wasm });
