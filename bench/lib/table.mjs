// The one table the harness prints: every figure next to the baseline's and their ratio.

export const ms = (v) => (v === null || v === undefined ? "—" : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toString());
const times = (v) => (v === null || v === undefined ? "—" : `×${v.toFixed(2)}`);
const bytes = (v) => (v === null || v === undefined ? "—" : String(Math.round(v)));
const mb = (v) => (v === null || v === undefined ? "—" : (v / 1048576).toFixed(1));
const cls = (v) => (v === null || v === undefined ? "—" : v.toFixed(3));

export function section(title, header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i] ?? "").length)));
  console.log(`\n${title}`);
  for (const [n, row] of all.entries()) {
    const line = row.map((cell, i) => (i === 0 ? String(cell ?? "").padEnd(widths[i]) : String(cell ?? "").padStart(widths[i]))).join("  ");
    console.log(`  ${line}`);
    if (n === 0) console.log(`  ${widths.map((w) => "-".repeat(w)).join("  ")}`);
  }
}

const percent = (v) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`);
const trio = (s, format) => [format(s.kiosque), format(s.baseline), times(s.ratio), `${percent(s.spread?.kiosque)} ${percent(s.spread?.baseline)}`];

export function printTable(r) {
  const minutes = Math.floor(r.durationMs / 60000);
  const seconds = Math.round((r.durationMs % 60000) / 1000);
  console.log(
    `\nKiosque benchmark — ${r.date} — Chromium ${r.machine.chromium}, ${r.machine.cpus} CPUs, Node ${r.machine.node}` +
      `\nMedians; Kiosque and the baseline (bench/baseline/, plain JavaScript, same DOM) alternate run by run; K/B = Kiosque ÷ baseline.` +
      `\nRuns: ${r.runs.timeToArticle} (time to article), ${r.runs.scale} (scale), ${r.runs.interaction} (interaction), ${r.runs.memory} (memory), ${r.runs.cls} (layout).` +
      ` Every load is a first visit (fresh browser context), except 2b's second page. Server: ${r.server}.`,
  );
  const load = r.machine.loadAverage;
  const busy = load.max > r.machine.cpus * 2.5;
  console.log(
    `Machine load (1-min average) during the run: ${load.min.toFixed(2)}–${load.max.toFixed(2)} on ${r.machine.cpus} CPUs (the harness alone: up to about 4)` +
      (busy ? " — OTHER WORK COMPETED FOR THE CPUs: timings are noisier than usual (per-step loads in the JSON)." : ".") +
      "\nnoise K B = each side's median absolute deviation over its runs, as a share of its median.",
  );

  const s = r.sizes;
  section(
    "1. Transfer size (bytes; gzip -9, brotli -q 11)",
    ["file", "raw", "gzip", "brotli"],
    [
      ...s.files.map((f) => [`${f.name}${f.later ? " (near its section)" : ""}`, f.raw, f.gzip, f.brotli]),
      ...(s.beforeHeadline
        ? [
            ["bytes before the headline (a reader who never scrolls)", s.beforeHeadline.raw, s.beforeHeadline.gzip, s.beforeHeadline.brotli],
            [`budget before the headline (bench/budget.json)`, "", "", `${s.budgetBeforeHeadline} ${s.beforeHeadline.brotli <= s.budgetBeforeHeadline ? "ok" : "EXCEEDED"}`],
          ]
        : []),
      ["total (widget)", s.total.raw, s.total.gzip, s.total.brotli],
      [`budget in all (bench/budget.json)`, "", "", `${s.budget} ${s.total.brotli <= s.budget ? "ok" : "EXCEEDED"}`],
      [`baseline: ${s.baseline.name} (+ kiosque.css)`, s.baseline.raw, s.baseline.gzip, s.baseline.brotli],
    ],
  );

  const t = r.timeToArticle;
  section(
    "2. Time to article, demo page (ms from navigation start)",
    ["", "Kiosque", "baseline", "K/B", "noise K B"],
    [1, 4].flatMap((x) => [
      [`wasm instantiation asked for, CPU ×${x}`, ...trio(t[`x${x}`].instantiationAsked, ms)],
      [`wasm instantiated, CPU ×${x}`, ...trio(t[`x${x}`].instantiationDone, ms)],
      [`article's JSON read, CPU ×${x}`, ...trio(t[`x${x}`].articleRead, ms)],
      [`headline rendered, CPU ×${x}`, ...trio(t[`x${x}`].headline, ms)],
      [`headline on screen (Element Timing), CPU ×${x}`, ...trio(t[`x${x}`].headlineOnScreen, ms)],
      [`body complete, CPU ×${x}`, ...trio(t[`x${x}`].body, ms)],
      [`LCP, CPU ×${x}`, ...trio(t[`x${x}`].lcp, ms)],
    ]),
  );
  console.log(`  Kiosque's start-up: the page and the loader until the instantiation is asked for, the wasm's compilation until it is done, the widget's main (and the answer's delivery) until the JSON is read`);
  console.log(`  JSON read = the page's code has the article's body: start-up before it, rendering after it`);
  console.log(`  rendered = the frame after the element is in the DOM (probe); LCP element (Kiosque, CPU ×1): ${t.x1.lcpElement}`);

  const v = r.secondVisit;
  section(
    `2b. Second visit: the demo page, then ${v.article} on it, same browser context (ms from the second navigation; bytes it transferred)`,
    ["", "Kiosque", "baseline", "K/B", "noise K B"],
    [
      ["headline rendered", ...trio(v.headline, ms)],
      ["headline on screen (Element Timing)", ...trio(v.headlineOnScreen, ms)],
      ["article's JSON read", ...trio(v.articleRead, ms)],
      ["LCP", ...trio(v.lcp, ms)],
      ["(first visit, same runs: headline rendered)", ...trio(v.firstVisitHeadline, ms)],
      ...v.transfer.map((file) => [`bytes: ${file.name}`, bytes(file.kiosque), bytes(file.baseline), "", ""]),
      ["bytes: everything on the second page", bytes(v.totalTransfer.kiosque), bytes(v.totalTransfer.baseline), "", ""],
    ],
  );
  console.log(`  0 bytes = from the browser's HTTP cache (Resource Timing transferSize); — = not fetched by that side; CPU ×1, ${v.pauseMs} ms between the pages`);

  const scaleRows = (series, unit) =>
    series.map((e) => [
      `${e.size} ${unit}`,
      ...trio(e.render, ms),
      e.growth ? `×${e.growth.size.toFixed(1)}` : "",
      e.growth ? times(e.growth.kiosque) : "",
      e.growth ? times(e.growth.baseline) : "",
      ms(e.total.kiosque),
    ]);
  section(
    "3. Scale: render time (ms, from the data's body read to the frame showing it all)",
    ["", "Kiosque", "baseline", "K/B", "noise K B", "size", "growth K", "growth B", "K from nav."],
    [...scaleRows(r.scale.articles, "blocks"), ...scaleRows(r.scale.related, "related items"), ...scaleRows(r.scale.comments, "comments")],
  );

  const i = r.interaction;
  section(
    "4. Interaction (ms)",
    ["", "Kiosque", "baseline", "K/B", "noise K B"],
    [
      ["keystroke → next paint, median, CPU ×1", ...trio(i.keystroke.x1.median, ms)],
      ["keystroke → next paint, worst, CPU ×1", ...trio(i.keystroke.x1.max, ms)],
      ["keystroke → next paint, median, CPU ×4", ...trio(i.keystroke.x4.median, ms)],
      ["keystroke → next paint, worst, CPU ×4", ...trio(i.keystroke.x4.max, ms)],
      [`proof of work, ${i.pow.number} hashes (maxnumber ${i.pow.maxnumber})`, ...trio(i.pow.solve, ms)],
      ["proof of work, µs per hash", ...trio(i.pow.perHashUs, ms)],
      ...(r.commentSection
        ? [1, 4].map((x) => [
            `comment section: its code requested → form usable, CPU ×${x} (Kiosque only; goal ≤ 300 ms at ×1)`,
            ms(r.commentSection[`x${x}`].requestedToUsable),
            "",
            "",
            "",
          ])
        : []),
    ],
  );

  section(
    "5. Memory once rendered (MB; JS heap after GC, WebAssembly linear memory)",
    ["", "K JS heap", "K wasm", "K total", "B JS heap", "K/B total", "DOM nodes K/B"],
    r.memory.map((m) => [
      m.name,
      mb(m.jsHeap.kiosque),
      mb(m.wasm.kiosque),
      mb(m.total.kiosque),
      mb(m.jsHeap.baseline),
      times(m.total.ratio),
      `${m.nodes.kiosque}/${m.nodes.baseline}`,
    ]),
  );

  section(
    "6. Layout stability: CLS from load to fully rendered (scrolled through a screen at a time)",
    ["", "Kiosque", "baseline", "largest shift (Kiosque)"],
    r.cls.map((c) => [
      `${c.page} ${c.viewport}`,
      cls(c.cls.kiosque),
      cls(c.cls.baseline),
      c.largestShift.kiosque ? `${c.largestShift.kiosque.value.toFixed(3)} ${c.largestShift.kiosque.sources.join(" ")}` : "none",
    ]),
  );

  const lh = r.lighthouse;
  if (lh.skipped) {
    console.log(`\n7. Lighthouse: skipped (${lh.skipped})`);
  } else {
    section(
      "7. Lighthouse, mobile preset, demo page (scores; FCP/LCP/TBT ms)",
      ["", "perf.", "a11y", "best pr.", "SEO", "FCP", "LCP", "TBT", "CLS"],
      ["kiosque", "baseline"].map((v) =>
        lh[v].error
          ? [v, `failed: ${lh[v].error}`]
          : [
              v === "kiosque" ? "Kiosque" : "baseline",
              lh[v].scores.performance,
              lh[v].scores.accessibility,
              lh[v].scores["best-practices"],
              lh[v].scores.seo,
              ms(lh[v].metrics.fcp),
              ms(lh[v].metrics.lcp),
              ms(lh[v].metrics.tbt),
              cls(lh[v].metrics.cls),
            ],
      ),
    );
    if (!lh.kiosque.error && !lh.baseline.error) {
      const own = lh.kiosque.failing.filter((id) => !lh.baseline.failing.includes(id));
      const shared = lh.kiosque.failing.filter((id) => lh.baseline.failing.includes(id));
      console.log(`  audits below 0.9, Kiosque only: ${own.join(", ") || "none"}`);
      console.log(`  audits below 0.9, both (the page and the server): ${shared.join(", ") || "none"}`);
    }
  }

  const different = r.domCheck.filter((d) => !d.identical);
  console.log(
    `\nDOM check: ${different.length ? `MISMATCH on ${different.map((d) => d.page).join(", ")}` : `baseline DOM identical to Kiosque's on all ${r.domCheck.length} pages`}` +
      ` (${r.domCheck.map((d) => d.page).join(", ")})`,
  );
  for (const d of different) console.log(`  ${d.page} line ${d.firstDifference.line}: K ${d.firstDifference.kiosque} | B ${d.firstDifference.baseline}`);
  console.log(`Seeding: ${r.seeding.comments} comments over HTTP in ${(r.seeding.ms / 1000).toFixed(1)} s. Harness time: ${minutes} min ${seconds} s.`);
  console.log("Full results: bench/results/latest.json");
}
