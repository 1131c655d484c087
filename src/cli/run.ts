// `convlens run MODEL [--weights W.safetensors] [--input X.npy] [--layer NAME] [--out Y.npy]
// [--seed N] [--verbose]`: runs a model through the im2col engine.
// Exit status: 0 ran, 1 the model has analysis errors (printed), 2 usage, I/O or engine error.

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  analyzeSource,
  createRandom,
  encodeNpy,
  EngineError,
  formatDiagnosticLine,
  formatShape,
  parseNpy,
  parseSafetensors,
  runModel,
  tensor,
  type AnalysisResult,
  type Tensor,
  type TypeScriptModule,
  type WeightSource,
} from '../core';

const USAGE = 'Usage: convlens run MODEL [--weights W.safetensors] [--input X.npy] [--layer NAME] [--out Y.npy] [--seed N] [--verbose]';

interface RunArgs {
  model: string;
  weights?: string;
  input?: string;
  layer?: string;
  out?: string;
  seed: number;
  verbose: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): RunArgs {
  const valued = new Map<string, string>();
  const positional: string[] = [];
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--verbose' || arg === '-v') {
      verbose = true;
    } else if (['--weights', '--input', '--layer', '--out', '--seed'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`option ${arg} needs a value`);
      valued.set(arg, value);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option '${arg}'`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'no model file given' : `one model file expected, got ${positional.length}`);
  const seedText = valued.get('--seed') ?? '0';
  const seed = Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${seedText}'`);
  return {
    model: positional[0]!,
    weights: valued.get('--weights'),
    input: valued.get('--input'),
    layer: valued.get('--layer'),
    out: valued.get('--out'),
    seed,
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

function stats(t: Tensor): string {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of t.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return `min ${fmt(min)}, mean ${fmt(sum / Math.max(1, t.data.length))}, max ${fmt(max)}`;
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
    args = parseArgs(argv);
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

    const run = runModel(analysis, input.data, weights, { keep: [...new Set([chosen, finalLayer.name])] });
    const total = run.timings.reduce((s, t) => s + t.ms, 0);
    out(`model: ${analysis.name ?? path.basename(args.model)} (${analysis.layers.length} layers), ${run.weights}`);
    out(args.input !== undefined ? `input: ${args.input} ${formatShape(analysis.input)}` : `input: deterministic sample ${formatShape(analysis.input)}, uniform on [-1, 1) from seed ${args.seed} (pass --input X.npy for real data)`);
    for (const name of run.unusedTensors) process.stderr.write(`convlens run: warning: tensor ${name} in ${args.weights} is not used by any layer\n`);
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
    const output = chosen === 'input' ? input : run.outputs.get(chosen);
    if (output === undefined) return fail(`internal: no output kept for ${chosen}`);
    out(`${chosen}: ${formatShape(output.shape)}, ${stats(output)}`);
    const final = run.outputs.get(finalLayer.name);
    if (final !== undefined && final.shape.length === 2) {
      out(`top-5 of ${finalLayer.name} (${run.weights}):`);
      topK(final).forEach((row, i) => out(`  [${i}] ${row.map(([c, v]) => `${c} (${fmt(v)})`).join('  ')}`));
    }
    if (args.out !== undefined) {
      try {
        writeFileSync(args.out, encodeNpy(output));
      } catch (error) {
        return fail(`cannot write ${args.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      out(`wrote ${chosen} ${formatShape(output.shape)} to ${args.out}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof EngineError) return fail(error.message);
    throw error;
  }
}
