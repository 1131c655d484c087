// Runs an analyzed model layer by layer. The analysis is the plan: layer order, inputs, shapes,
// attributes and window geometry all come from it; the engine only computes. Outputs that no later
// layer reads and that are not kept are released as soon as their last consumer has run.

import type { AnalyzedLayer, ModelAnalysis } from '../analysis-types';
import { gemmBlocked, type Gemm } from './gemm';
import { kernelFor } from './kernels/index';
import type { KernelContext } from './kernels/types';
import { checkMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, estimateActivationMemory, isKept, lastUses } from './memory';
import { EngineError, formatShape, sameShape, tensor, type Tensor } from './tensor';
import { resolveWeights, type WeightSource } from './weights';

export interface RunOptions {
  /** Called after each layer with its index, name and time in milliseconds. */
  onLayer?: (index: number, name: string, ms: number) => void;
  /** Checked before each layer; when it returns true the run stops with RunCancelledError. */
  isCancelled?: () => boolean;
  /** Layer outputs to return: every layer's (default) or the named ones. */
  keep?: 'all' | string[];
  /** Refuse runs whose estimated activation memory exceeds this (default 1 GiB). */
  memoryBudgetBytes?: number;
  /** The matrix multiply (default: the TypeScript blocked GEMM). */
  gemm?: Gemm;
}

export interface LayerTiming {
  name: string;
  kind: string;
  ms: number;
}

export interface RunResult {
  /** Outputs of the kept layers, by layer name. */
  outputs: Map<string, Tensor>;
  timings: LayerTiming[];
  /** "weights from …" or "random weights (seed N)": say it wherever results are shown. */
  weights: string;
  /** Tensors of the weights file that no layer used. */
  unusedTensors: string[];
}

export class RunCancelledError extends Error {
  constructor(layer: string) {
    super(`run cancelled before layer ${layer}`);
    this.name = 'RunCancelledError';
  }
}

interface Plan {
  ctx: KernelContext;
  keep: 'all' | readonly string[];
  last: Map<string, number>;
  params: ReturnType<typeof resolveWeights>;
  values: Map<string, Tensor>;
}

/** Checks everything that can be checked before the first multiply. */
function prepare(analysis: ModelAnalysis, input: Float32Array, weights: WeightSource, options: RunOptions): Plan {
  if (analysis.layout !== 'NCHW') throw new EngineError('the engine runs PyTorch (NCHW) models; this model is TensorFlow.js (NHWC)');
  if (analysis.input === null) throw new EngineError('the model has no valid input shape');
  const broken = analysis.layers.filter((l) => l.outputShape === null);
  if (broken.length > 0) throw new EngineError(`the analysis found errors (first at layer ${broken[0]!.name}); fix them before running`);
  const unknown = analysis.layers.filter((l) => kernelFor(l.kind) === undefined);
  if (unknown.length > 0) throw new EngineError(`the engine has no kernel for ${[...new Set(unknown.map((l) => l.kind))].join(', ')}`);
  for (const layer of analysis.layers) kernelFor(layer.kind)!.check?.(layer);
  const keep = options.keep ?? 'all';
  if (keep !== 'all') {
    const missing = keep.filter((name) => name !== 'input' && !analysis.byName.has(name));
    if (missing.length > 0) throw new EngineError(`no layer named ${missing.join(', ')}`);
  }
  // Before anything is allocated.
  checkMemoryBudget(estimateActivationMemory(analysis, keep), options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES);
  const expected = analysis.input.reduce((a, b) => a * b, 1);
  if (input.length !== expected) {
    throw new EngineError(`the input has ${input.length} values but the model input ${formatShape(analysis.input)} needs ${expected}`);
  }
  const params = resolveWeights(analysis.layers, weights, kernelFor);
  const values = new Map<string, Tensor>([['input', tensor(analysis.input, input)]]);
  return { ctx: { gemm: options.gemm ?? gemmBlocked }, keep, last: lastUses(analysis), params, values };
}

function runLayer(plan: Plan, layer: AnalyzedLayer, index: number): Tensor {
  const kernel = kernelFor(layer.kind)!;
  const inputs = layer.inputs.map((name) => {
    const value = plan.values.get(name);
    if (value === undefined) throw new EngineError(`${layer.name}: input ${name} is not available`);
    return value;
  });
  let output: Tensor;
  try {
    output = kernel.forward(layer, inputs, plan.params.byLayer.get(layer.name) ?? {}, plan.ctx).output;
  } catch (error) {
    // Name the layer in messages from the low-level kernels, which only know the kind.
    if (error instanceof EngineError && !error.message.startsWith(`${layer.name}:`)) throw new EngineError(`${layer.name}: ${error.message}`);
    throw error;
  }
  if (layer.outputShape !== null && !sameShape(output.shape, layer.outputShape)) {
    throw new EngineError(`${layer.name}: the engine computed shape ${formatShape(output.shape)} but the analysis says ${formatShape(layer.outputShape)}`);
  }
  plan.values.set(layer.name, output);
  for (const name of new Set([...layer.inputs, layer.name])) {
    if ((plan.last.get(name) ?? -1) <= index && !isKept(plan.keep, name)) plan.values.delete(name);
  }
  return output;
}

function finish(plan: Plan, timings: LayerTiming[]): RunResult {
  const outputs = new Map<string, Tensor>();
  for (const [name, value] of plan.values) {
    if (isKept(plan.keep, name) && (name !== 'input' || plan.keep !== 'all')) outputs.set(name, value);
  }
  return { outputs, timings, weights: plan.params.description, unusedTensors: plan.params.unused };
}

/** Runs the model synchronously. `input` is the model input in NCHW order. */
export function runModel(analysis: ModelAnalysis, input: Float32Array, weights: WeightSource, options: RunOptions = {}): RunResult {
  const plan = prepare(analysis, input, weights, options);
  const timings: LayerTiming[] = [];
  analysis.layers.forEach((layer, i) => {
    if (options.isCancelled?.() === true) throw new RunCancelledError(layer.name);
    const start = performance.now();
    runLayer(plan, layer, i);
    const ms = performance.now() - start;
    timings.push({ name: layer.name, kind: layer.kind, ms });
    options.onLayer?.(i, layer.name, ms);
  });
  return finish(plan, timings);
}

/**
 * The same, yielding to the event loop between layers so a Web Worker can receive a cancel
 * message (and set what `isCancelled` reads) while a model runs.
 */
export async function runModelAsync(analysis: ModelAnalysis, input: Float32Array, weights: WeightSource, options: RunOptions = {}): Promise<RunResult> {
  const plan = prepare(analysis, input, weights, options);
  const timings: LayerTiming[] = [];
  for (const [i, layer] of analysis.layers.entries()) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    if (options.isCancelled?.() === true) throw new RunCancelledError(layer.name);
    const start = performance.now();
    runLayer(plan, layer, i);
    const ms = performance.now() - start;
    timings.push({ name: layer.name, kind: layer.kind, ms });
    options.onLayer?.(i, layer.name, ms);
  }
  return finish(plan, timings);
}
