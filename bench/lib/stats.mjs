// Medians and the alternation that makes Kiosque/baseline ratios hold on a noisy machine: each run
// measures both, in alternating order, so that slow phases of the machine hit both alike.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function ratio(a, b) {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** Runs `measure(variant, run)` `runs` times for each variant, K B, B K, K B, … and returns
 * `{ kiosque: [...], baseline: [...] }` in run order. */
export async function alternate(runs, measure) {
  const results = { kiosque: [], baseline: [] };
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ["kiosque", "baseline"] : ["baseline", "kiosque"];
    for (const variant of order) results[variant].push(await measure(variant, run));
  }
  return results;
}

/** How much the runs disagree: the median absolute deviation as a fraction of the median. */
export function spread(values) {
  const middle = median(values);
  if (middle === null || middle === 0) return null;
  return median(values.filter((v) => Number.isFinite(v)).map((v) => Math.abs(v - middle))) / Math.abs(middle);
}

/** The median of `pick(result)` over each variant's runs, their ratio, and each one's spread. */
export function summarize(results, pick) {
  const values = { kiosque: results.kiosque.map(pick), baseline: results.baseline.map(pick) };
  const kiosque = median(values.kiosque);
  const baseline = median(values.baseline);
  return { kiosque, baseline, ratio: ratio(kiosque, baseline), spread: { kiosque: spread(values.kiosque), baseline: spread(values.baseline) } };
}
