// `convlens run --repeat N`: the statistics of repeated forwards, as onnxruntime_perf_test and
// trtexec report them. The first run (weights drawn or read, then packed for the WebAssembly
// kernels) is reported on its own; the N warm runs after it by median, minimum and maximum, for
// wall clock and for the process's CPU time (the steadier figure on a shared machine).

/** Median (the mean of the middle two for an even count), minimum and maximum of samples. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new RangeError('spreadOf: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** One forward's wall-clock and CPU time, in milliseconds. */
export interface RunTime {
  wallMs: number;
  cpuMs: number;
}

/** The `--json` report's timing fields: the first run, then the warm runs' spread. */
export interface RepeatReport {
  first_ms: number;
  first_cpu_ms: number;
  warm_runs: number;
  warm_ms: Spread;
  cpu_ms: Spread;
}

export function repeatReport(first: RunTime, warm: readonly RunTime[]): RepeatReport {
  return {
    first_ms: first.wallMs,
    first_cpu_ms: first.cpuMs,
    warm_runs: warm.length,
    warm_ms: spreadOf(warm.map((t) => t.wallMs)),
    cpu_ms: spreadOf(warm.map((t) => t.cpuMs)),
  };
}

/** --repeat's value: a whole number of warm runs from 1 to 10,000, or a message quoting it. */
export function parseRepeat(text: string): number | string {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1 || n > 10_000)
    return `--repeat must be a whole number of warm runs from 1 to 10000, got '${text}'`;
  return n;
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);

/** The human-readable lines for a repeat report. */
export function formatRepeat(r: RepeatReport): string[] {
  const spread = (s: Spread) => `median ${ms(s.median)}, min ${ms(s.min)}, max ${ms(s.max)}`;
  return [
    `first run: ${ms(r.first_ms)} wall, ${ms(r.first_cpu_ms)} CPU (weights prepared and packed)`,
    `warm runs (${r.warm_runs}), wall: ${spread(r.warm_ms)}`,
    `warm runs (${r.warm_runs}), CPU:  ${spread(r.cpu_ms)}`,
  ];
}
