// What runs inside the measured pages. `instrument` is installed before any page script (Playwright
// init script) and records, on `window.__kq`, everything the harness reads afterwards, so that the
// harness never has to poll the page while it is being measured.

/**
 * `goals`: `[{ name, selector, count, elementTiming?, click? }]` — a goal is reached when
 * `selector` matches at least `count` elements; its mark is taken after the next frame (a task
 * posted from requestAnimationFrame runs once that frame is painted). `click` is a selector clicked
 * once the goal's frame is painted (to go on to the next goal, e.g. "more").
 */
export function instrument(goals) {
  const kq = {
    marks: {},
    reachedAt: {},
    data: {},
    lcp: [],
    elements: {},
    cls: 0,
    shifts: [],
    keys: [],
    clickedAt: {},
    wasm: [],
    instantiation: null,
  };
  // Resolves once every goal has its mark, so the harness waits without polling the page.
  kq.done = new Promise((resolve) => (kq.resolveDone = resolve));
  window.__kq = kq;

  const afterPaint = (callback) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(performance.now());
      channel.port2.postMessage(null);
    });
  kq.afterPaint = afterPaint;

  // When each response body was fully read: the moment the renderer has its data. The widget
  // reads bodies as bytes (`response.arrayBuffer()`), the baseline as text.
  for (const name of ["text", "arrayBuffer"]) {
    const read = Response.prototype[name];
    Response.prototype[name] = function readBody() {
      const path = new URL(this.url).pathname;
      return read.call(this).then((body) => {
        kq.data[path] ??= performance.now();
        return body;
      });
    };
  }

  // The widget's WebAssembly memory: its exports are not exposed to the page, so keep the instance
  // when it is created. The first instantiation's start and end split the start-up: before
  // it, the page and the loader; during it, the compilation; after it, the widget's `main` until
  // the article's JSON is read.
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = function instantiate(...args) {
      const asked = performance.now();
      return original.apply(this, args).then((result) => {
        const exports = (result.instance ?? result).exports;
        if (exports?.memory instanceof WebAssembly.Memory) {
          kq.wasm.push(exports.memory);
          kq.instantiation ??= { asked, done: performance.now() };
        }
        return result;
      });
    };
  }

  // "div#article-principal", "section.site-second": enough to find the element that moved.
  const describe = (node) => {
    if (node?.nodeType !== 1) return String(node?.nodeName ?? "?");
    const id = node.id ? `#${node.id}` : "";
    const classes = [...node.classList].map((name) => `.${name}`).join("");
    return `${node.tagName.toLowerCase()}${id}${classes}${node.hasAttribute("data-kiosque") ? "[data-kiosque]" : ""}`;
  };

  const observe = (type, options, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true, ...options });
    } catch {
      // Entry type not supported by this browser: the harness reports it as missing.
    }
  };
  observe("largest-contentful-paint", {}, (entry) =>
    kq.lcp.push({
      time: entry.startTime,
      size: entry.size,
      headline: Boolean(entry.element?.closest?.(".kq-headline")),
      element: entry.element ? describe(entry.element) : null,
    }),
  );
  observe("element", {}, (entry) => {
    kq.elements[entry.identifier] ??= entry.renderTime || entry.loadTime;
  });
  observe("layout-shift", {}, (entry) => {
    if (entry.hadRecentInput) return;
    kq.cls += entry.value;
    kq.shifts.push({
      time: entry.startTime,
      value: entry.value,
      sources: (entry.sources || []).map((source) => describe(source.node)),
    });
  });

  // Keystrokes: from the key's event time to the frame that shows its effect.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.target?.tagName !== "TEXTAREA") return;
      const start = event.timeStamp;
      afterPaint((end) => kq.keys.push(end - start));
    },
    true,
  );

  const pending = goals.slice();
  const check = () => {
    for (const goal of pending.slice()) {
      const found = document.querySelectorAll(goal.selector);
      if (found.length < goal.count) continue;
      pending.splice(pending.indexOf(goal), 1);
      kq.reachedAt[goal.name] = performance.now();
      // Set before the element's first paint (mutation callbacks run before rendering), so the
      // browser's Element Timing reports when it was painted.
      if (goal.elementTiming) found[0].setAttribute("elementtiming", goal.name);
      afterPaint((time) => {
        kq.marks[goal.name] = time;
        if (goal.click) {
          kq.clickedAt[goal.name] = performance.now();
          document.querySelector(goal.click)?.click();
        }
        if (goals.every((g) => g.name in kq.marks)) kq.resolveDone();
      });
    }
    if (!pending.length) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  if (!goals.length) kq.resolveDone();
}

/** The goals of a time-to-article run: the headline's frame (and its Element Timing), then the
 * frame in which the body has all its `blocks`. */
export function articleGoals(blocks) {
  return [
    { name: "headline", selector: ".kq-headline", count: 1, elementTiming: true },
    { name: "body", selector: ".kq-article .kq-body > *", count: blocks },
  ];
}

/** The widget's DOM reduced to what a reader and a stylesheet see: elements, attributes (sorted),
 * and text (whitespace collapsed, however it is split into nodes). Comments are ignored. */
export function domSignature() {
  const lines = [];
  const walk = (node, depth) => {
    let text = "";
    const flush = () => {
      const collapsed = text.replace(/\s+/g, " ").trim();
      if (collapsed) lines.push(`${"  ".repeat(depth)}"${collapsed}"`);
      text = "";
    };
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        text += child.data;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        // Kiosque's schema.org data block is for search engines, not rendered: the baseline has none.
        if (child.matches('script[type="application/ld+json"]')) continue;
        flush();
        const attributes = [...child.attributes]
          .map((a) => (a.name === "class" ? `class="${a.value.split(/\s+/).filter(Boolean).sort().join(" ")}"` : `${a.name}="${a.value}"`))
          .filter((a) => !a.startsWith("elementtiming="))
          .sort();
        lines.push(`${"  ".repeat(depth)}<${child.tagName.toLowerCase()}${attributes.length ? " " + attributes.join(" ") : ""}>`);
        walk(child, depth + 1);
      }
    }
    flush();
  };
  for (const host of document.querySelectorAll("[data-kiosque]")) walk(host, 0);
  return lines;
}

/** True once every widget on the page is fully rendered: article, related list settled, comments
 * loaded (or empty, or closed), and every image loaded. */
export function fullyRendered() {
  const hosts = [...document.querySelectorAll("[data-kiosque]")];
  if (!hosts.length) return false;
  const busy = document.querySelector(
    ".kq-skeleton, .kq-related[aria-busy], .kq-related__placeholder, .kq-comments__placeholder, .kq-comments__list[aria-busy]",
  );
  if (busy) return false;
  const widgetsDone = hosts.every((host) => {
    if (!host.querySelector(".kq-article, .kq-error")) return false;
    const comments = host.querySelector(".kq-comments");
    return !comments || comments.querySelector(".kq-comment, .kq-comments__empty, .kq-comments__error");
  });
  return widgetsDone && [...document.images].every((image) => image.complete);
}

/** Scrolls down the page the way a reader does, a screen at a time, until the bottom is reached
 * and everything is rendered (lazy parts load as they come near the viewport). */
export async function scrollThrough({ step, pauseMs, timeoutMs }) {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, pauseMs)));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
    // `fullyRendered` is installed next to this function by the harness.
    if (bottom && window.__kqFullyRendered()) return window.scrollY;
    if (performance.now() > deadline) throw new Error("the page never finished rendering while scrolled through");
    window.scrollBy(0, step);
    await frame();
  }
}
