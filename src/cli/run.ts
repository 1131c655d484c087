// `convlens run MODEL [--weights W.safetensors] [--input X.npy] [--layer NAME] [--out Y.npy]
// [--seed N] [--repeat N] [--json] [--verbose]`: runs a model through the im2col engine; with
// --repeat, N more times after the first, reporting the warm runs' spread (./repeat.ts).
// Exit status: 0 ran, 1 the model has analysis errors (printed), 2 usage, I/O or engine error.

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  analyzeSource,
  createRandom,
  describeWeights,
  encodeNpy,
  EngineError,
  formatDiagnosticLine,
  formatShape,
  parseNpy,
  parseSafetensors,
  resolveWeights,
  runModel,
  tensor,
  type AnalysisResult,
  type Tensor,
  type TypeScriptModule,
  type WeightSource,
} from '../core';
import { formatRepeat, parseRepeat, repeatReport, type RunTime } from './repeat';

const USAGE =
  'Usage: convlens run MODEL [--weights W.safetensors] [--input X.npy] [--layer NAME] [--out Y.npy] [--seed N] [--repeat N] [--json] [--verbose]';

interface RunArgs {
  model: string;
  weights?: string;
  input?: string;
  layer?: string;
  out?: string;
  seed: number;
  /** Warm runs after the first (0: the first only). */
  repeat: number;
  json: boolean;
  verbose: boolean;
}

export class UsageError extends Error {}

export function parseRunArgs(argv: string[]): RunArgs {
  const valued = new Map<string, string>();
  const positional: string[] = [];
  let verbose = false,
    json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--verbose' || arg === '-v') {
      verbose = true;
    } else if (arg === '--json') {
      json = true;
    } else if (['--weights', '--input', '--layer', '--out', '--seed', '--repeat'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`option ${arg} needs a value`);
      valued.set(arg, value);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option '${arg}'`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1)
    throw new UsageError(positional.length === 0 ? 'no model file given' : `one model file expected, got ${positional.length}`);
  const seedText = valued.get('--seed') ?? '0';
  const seed = Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${seedText}'`);
  const repeatText = valued.get('--repeat');
  const repeat = repeatText === undefined ? 0 : parseRepeat(repeatText);
  if (typeof repeat === 'string') throw new UsageError(repeat);
  return {
    model: positional[0]!,
    weights: valued.get('--weights'),
    input: valued.get('--input'),
    layer: valued.get('--layer'),
    out: valued.get('--out'),
    seed,
    repeat,
    json,
    verbose,
  };
}

function readBytes(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new EngineError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** The model input from a .npy file: its shape must be the model's (a missing batch of 1 is fine). */
function loadInput(file: string, modelInput: readonly number[]): Tensor {
  let t: Tensor;
  try {
    t = parseNpy(readBytes(file, 'input'));
  } catch (error) {
    throw new EngineError(`${file}: ${(error as Error).message}`);
  }
  const same = (a: readonly number[]) => a.length === modelInput.length && a.every((d, i) => d === modelInput[i]);
  if (same(t.shape) || (modelInput[0] === 1 && same([1, ...t.shape]))) return tensor(modelInput, t.data);
  throw new EngineError(`${file}: input shape ${formatShape(t.shape)} does not match the model input ${formatShape(modelInput)}`);
}

/** A deterministic stand-in input: uniform on [−1, 1) from the seed. */
function sampleInput(shape: readonly number[], seed: number): Tensor {
  const t = tensor(shape);
  const random = createRandom(seed, 'input');
  for (let i = 0; i < t.data.length; i++) t.data[i] = 2 * random() - 1;
  return t;
}

function summary(t: Tensor): [number, number, number] {
  let min = Infinity,
    max = -Infinity,
    sum = 0;
  for (const v of t.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return [min, sum / Math.max(1, t.data.length), max];
}

function stats(t: Tensor): string {
  const [min, mean, max] = summary(t);
  return `min ${fmt(min)}, mean ${fmt(mean)}, max ${fmt(max)}`;
}

/** Starts a clock; calling the result reads wall-clock and process CPU time since the start. */
function timer(): () => RunTime {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
}

/** Writes the .npy; a message on failure. */
function writeOutput(file: string, output: Tensor): string | undefined {
  try {
    writeFileSync(file, encodeNpy(output));
    return undefined;
  } catch (error) {
    return `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(5) : String(x);
}

/** Top-5 classes of each row of an [N, K] output. */
export function topK(t: Tensor, k = 5): Array<Array<[number, number]>> {
  const [n = 0, classes = 0] = t.shape;
  const rows: Array<Array<[number, number]>> = [];
  for (let r = 0; r < n; r++) {
    const row = Array.from(t.data.subarray(r * classes, (r + 1) * classes), (v, i): [number, number] => [i, v]);
    row.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    rows.push(row.slice(0, k));
  }
  return rows;
}

function analyze(file: string, text: string): AnalysisResult {
  // TypeScript is loaded only for .ts/.js model files; it is external to the CLI bundle.
  return analyzeSource(file, text, () => require('typescript') as TypeScriptModule);
}

export async function runRunCommand(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(line + '\n');
  const fail = (message: string) => {
    process.stderr.write(`convlens run: ${message}\n`);
    return 2;
  };
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n${USAGE}`);
    throw error;
  }
  try {
    const text = new TextDecoder().decode(readBytes(args.model, 'model file'));
    const result = analyze(args.model, text);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || result.model === undefined) {
      for (const d of errors) process.stderr.write(formatDiagnosticLine(args.model, d) + '\n');
      if (result.model === undefined && errors.length === 0) process.stderr.write(`${args.model}: no model found\n`);
      process.stderr.write(`convlens run: ${args.model} has analysis errors; not running it\n`);
      return 1;
    }
    const analysis = result.model;
    if (analysis.input === null) return fail(`${args.model}: the model has no input shape`);
    const finalLayer = analysis.layers[analysis.layers.length - 1];
    if (finalLayer === undefined) return fail(`${args.model}: the model has no layers`);
    const chosen = args.layer ?? finalLayer.name;
    if (chosen !== 'input' && !analysis.byName.has(chosen)) return fail(`no layer named '${chosen}' in ${args.model}`);

    let weights: WeightSource;
    if (args.weights !== undefined) {
      let tensors;
      try {
        tensors = parseSafetensors(readBytes(args.weights, 'weights file')).tensors;
      } catch (error) {
        throw new EngineError(`${args.weights}: ${(error as Error).message}`);
      }
      weights = { kind: 'tensors', tensors, label: path.basename(args.weights) };
    } else {
      weights = { kind: 'random', seed: args.seed };
    }
    const input = args.input !== undefined ? loadInput(args.input, analysis.input) : sampleInput(analysis.input, args.seed);

    const keep = [...new Set([chosen, finalLayer.name])];
    const description = describeWeights(weights);
    const started = timer();
    // Repeated runs share one set of parameter tensors, so the wasm kernels pack them in the first
    // run only (random weights are drawn there too: they are part of its time).
    if (args.repeat > 0 && weights.kind === 'random') {
      const tensors = new Map<string, Tensor>();
      for (const [layer, params] of resolveWeights(analysis.layers, weights).byLayer) {
        for (const [name, t] of Object.entries(params)) tensors.set(`${layer}.${name}`, t);
      }
      weights = { kind: 'tensors', tensors };
    }
    const run = runModel(analysis, input.data, weights, { keep });
    const first = started();
    const warm: RunTime[] = [];
    for (let i = 0; i < args.repeat; i++) {
      const time = timer();
      runModel(analysis, input.data, weights, { keep });
      warm.push(time());
    }
    const output = chosen === 'input' ? input : run.outputs.get(chosen);
    if (output === undefined) return fail(`internal: no output kept for ${chosen}`);
    if (args.json) {
      const timing = args.repeat > 0 ? repeatReport(first, warm) : { first_ms: first.wallMs, first_cpu_ms: first.cpuMs };
      const [min, mean, max] = summary(output);
      const report = {
        model: args.model,
        weights: description,
        backend: run.backend,
        layer: chosen,
        shape: output.shape,
        min,
        mean,
        max,
        ...timing,
      };
      out(JSON.stringify(report, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
      if (args.out !== undefined) {
        const written = writeOutput(args.out, output);
        if (written !== undefined) return fail(written);
      }
      return 0;
    }
    const total = run.timings.reduce((s, t) => s + t.ms, 0);
    out(`model: ${analysis.name ?? path.basename(args.model)} (${analysis.layers.length} layers), ${description}`);
    out(
      args.input !== undefined
        ? `input: ${args.input} ${formatShape(analysis.input)}`
        : `input: deterministic sample ${formatShape(analysis.input)}, uniform on [-1, 1) from seed ${args.seed} (pass --input X.npy for real data)`,
    );
    for (const name of run.unusedTensors)
      process.stderr.write(`convlens run: warning: tensor ${name} in ${args.weights} is not used by any layer\n`);
    if (args.verbose) {
      const width = Math.max(5, ...run.timings.map((t) => t.name.length));
      const kindWidth = Math.max(4, ...run.timings.map((t) => t.kind.length));
      out(`${'layer'.padEnd(width)}  ${'kind'.padEnd(kindWidth)}  ${'output'.padEnd(18)}  ${'ms'.padStart(9)}`);
      for (const t of run.timings) {
        const shape = formatShape(analysis.byName.get(t.name)?.outputShape ?? []);
        out(`${t.name.padEnd(width)}  ${t.kind.padEnd(kindWidth)}  ${shape.padEnd(18)}  ${t.ms.toFixed(2).padStart(9)}`);
      }
    }
    out(`ran in ${total.toFixed(1)} ms`);
    if (args.repeat > 0) formatRepeat(repeatReport(first, warm)).forEach(out);
    out(`${chosen}: ${formatShape(output.shape)}, ${stats(output)}`);
    const final = run.outputs.get(finalLayer.name);
    if (final !== undefined && final.shape.length === 2) {
      out(`top-5 of ${finalLayer.name} (${description}):`);
      topK(final).forEach((row, i) => out(`  [${i}] ${row.map(([c, v]) => `${c} (${fmt(v)})`).join('  ')}`));
    }
    if (args.out !== undefined) {
      const written = writeOutput(args.out, output);
      if (written !== undefined) return fail(written);
      out(`wrote ${chosen} ${formatShape(output.shape)} to ${args.out}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof EngineError) return fail(error.message);
    throw error;
  }
}
