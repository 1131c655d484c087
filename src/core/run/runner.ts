// Runs an analyzed model layer by layer. The analysis is the plan: layer order, inputs, shapes,
// attributes and window geometry all come from it; the engine only computes. Outputs that no later
// layer reads and that are not kept are released as soon as their last consumer has run.
//
// Two backends compute conv2d, conv_transpose2d, linear and max pooling: 'ts', the TypeScript
// kernels on `options.gemm` (the reference), and 'wasm', the WebAssembly SIMD module, with each
// weight array packed once and reused by later runs over the same arrays, and conv2d →
// batchnorm2d → relu chains whose intermediate outputs nobody keeps run as one pass
// (./fusion.ts). 'auto' (the default) takes 'wasm' wherever the module loads.
//
// Memory beyond the activations: on 'ts', one column buffer (at most 8 MiB, built in bands). On
// 'wasm', the activations themselves live in the module's memory (./wasm/arena.ts): every layer's
// output is allocated there and read in place by the next kernels, so nothing is copied in and
// out per call; the module gathers columns a cache block at a time into its one workspace (the
// im2col buffer; Winograd layers stage their transformed tiles in one more block, sized for the
// largest), and the weights are held packed, once per weight tensor (as long as the caller keeps
// the tensors; for random weights, until the run ends). Before each layer the runner
// reserves the memory it can allocate, and the memory may not grow while the layer runs: growth
// would empty the Float32Array views the kernel holds. Kept outputs are copied into JavaScript
// arrays when the run ends, unless `outputs: 'in-place'` leaves them where they are.
//
// TensorFlow.js models run too: their analysis holds NCHW shapes like PyTorch's, so the input is
// NCHW here as well; the kernels follow TensorFlow where the layouts disagree (flatten order, a
// dense layer on a 4-D tensor).

import type { AnalyzedLayer, ModelAnalysis } from '../analyze/analysis-types';
import { epilogueOf, planFusions, type Fusions } from './fusion';
import { WasmTensorArena } from '../engine/wasm/arena';
import { gemmBlocked, type Gemm } from '../engine/gemm';
import { takeSlice } from '../kinds/chunk/kernel';
import { kernelFor } from '../kinds/kernels';
import type { KernelContext } from '../kinds/kernel-types';
import { loadWasmGemm, wasmGemmUnavailableReason } from '../engine/wasm/index';
import { PackedWeights, sharedPackedWeights } from '../engine/wasm/packed-weights';
import { checkMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, estimateActivationMemory, isKept, lastUses } from './memory';
import { EngineError, formatShape, sameShape, shapeSize, tensor, withTensorStorage, type Tensor } from '../engine/tensor';
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
  /** The matrix multiply of the TypeScript kernels (default: the TypeScript blocked GEMM). */
  gemm?: Gemm;
  /**
   * Kernels for conv2d, conv_transpose2d, linear and max pooling: 'wasm' (WebAssembly SIMD; an
   * EngineError when it cannot load here), 'ts' (TypeScript, on `gemm`) or 'auto' (default:
   * 'wasm' when it loads, else 'ts'). 'wasm' packs each weight tensor once and reuses the
   * packing while the tensor lives: to change weights, pass new tensors, never edit them in place.
   */
  backend?: EngineBackend;
  /**
   * On the 'wasm' backend, where the kept outputs are handed over: 'copy' (default) copies them
   * into JavaScript arrays when the run ends and frees the module memory they used; 'in-place'
   * leaves them in the module's memory, with no copy (the preview keeps every layer's output),
   * until `result.release()`. Either way they are ordinary tensors to read.
   */
  outputs?: 'copy' | 'in-place';
}

export type EngineBackend = 'auto' | 'wasm' | 'ts';

export interface LayerTiming {
  name: string;
  kind: string;
  ms: number;
  /** The layer that computed this one in the same pass (its time is in that layer's). */
  fusedInto?: string;
}

export interface RunResult {
  /** Outputs of the kept layers, by layer name. */
  outputs: Map<string, Tensor>;
  /** The kernels that ran conv2d, conv_transpose2d and linear. */
  backend: 'wasm' | 'ts';
  timings: LayerTiming[];
  /** "weights from …" or "random weights (seed N)": say it wherever results are shown. */
  weights: string;
  /** Tensors of the weights file that no layer used. */
  unusedTensors: string[];
  /**
   * Frees the module memory of outputs kept with `outputs: 'in-place'` (reading them afterwards
   * throws); nothing to do otherwise. Unreleased outputs are freed when garbage-collected.
   */
  release(): void;
}

export class RunCancelledError extends Error {
  constructor(layer: string) {
    super(`run cancelled before layer ${layer}`);
    this.name = 'RunCancelledError';
  }
}

interface Plan {
  ctx: KernelContext;
  backend: 'wasm' | 'ts';
  /** Packed weights of this run alone, freed when it ends. */
  runPacks?: PackedWeights;
  /** On 'wasm': where the activations live. */
  arena?: WasmTensorArena;
  fusions: Fusions;
  /** Layers computed by an earlier layer's fused pass, and which one. */
  fusedInto: Map<string, string>;
  keep: 'all' | readonly string[];
  last: Map<string, number>;
  params: ReturnType<typeof resolveWeights>;
  values: Map<string, Tensor>;
}

/** Checks everything that can be checked before the first multiply. */
function prepare(analysis: ModelAnalysis, input: Float32Array, weights: WeightSource, options: RunOptions): Plan {
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
  const params = resolveWeights(analysis.layers, weights);
  const ctx: KernelContext = { gemm: options.gemm ?? gemmBlocked, framework: analysis.framework };
  const wasm = chooseBackend(options.backend ?? 'auto');
  // Random weights are drawn for this run alone: their packing is freed when it ends.
  const runPacks = wasm !== undefined && weights.kind === 'random' ? new PackedWeights(wasm, true) : undefined;
  if (wasm !== undefined) ctx.wasm = runPacks ?? sharedPackedWeights(wasm);
  const arena = wasm === undefined ? undefined : new WasmTensorArena(wasm);
  const inputTensor =
    arena === undefined
      ? tensor(analysis.input, input)
      : reserved(arena, input.length * 4 + BLOCK, () => arena.copyIn(analysis.input!, input));
  const values = new Map<string, Tensor>([['input', inputTensor]]);
  const fusions = wasm === undefined ? new Map() : planFusions(analysis, keep, kernelFor);
  const fusedInto = new Map<string, string>();
  for (const [head, followers] of fusions) for (const f of followers) fusedInto.set(f.name, head);
  return {
    ctx,
    backend: wasm === undefined ? 'ts' : 'wasm',
    ...(runPacks ? { runPacks } : {}),
    ...(arena ? { arena } : {}),
    fusions,
    fusedInto,
    keep,
    last: lastUses(analysis),
    params,
    values,
  };
}

/** Alignment and bookkeeping allowance per heap block. */
const BLOCK = 64;

/** Runs `fn` after reserving `bytes` of module memory, with growth forbidden while it runs. */
function reserved<T>(arena: WasmTensorArena, bytes: number, fn: () => T, who = 'the runner'): T {
  arena.gemm.reserve(bytes);
  return arena.gemm.lockGrowth(who, fn);
}

/**
 * What a layer (with the layers fused into it) can allocate in module memory while growth is
 * locked: its output (twice, for kernels that build a temporary of the same size), staging copies
 * of its inputs and of its parameters (biases, depthwise weights, a batch norm's scale and shift),
 * and the kernel's own scratch. Packing weights is not counted: it may grow the memory
 * (PackedWeights.get allows it; the kernels take their views after it). Most of a reservation is
 * never touched: it only grows the memory, whose untouched pages cost no RAM.
 */
function layerBytes(plan: Plan, layer: AnalyzedLayer, result: AnalyzedLayer): number {
  const outputBytes = shapeSize(result.outputShape ?? []) * 4;
  let paramBytes = 0;
  for (const l of [layer, ...(plan.fusions.get(layer.name) ?? [])]) {
    // By shape: a parameter made on demand (lazyParameter) is not made just to be counted.
    for (const t of Object.values(plan.params.byLayer.get(l.name) ?? {})) paramBytes += shapeSize(t.shape) * 4;
  }
  // An input a kernel left in a JavaScript array is staged into the module (with a quarter of headroom).
  const inputBytes = layer.inputShapes.reduce((sum, shape) => sum + shapeSize(shape ?? []) * 4, 0);
  const scratch = kernelFor(layer.kind)?.wasmScratchBytes?.(layer) ?? 0;
  return Math.ceil(2 * outputBytes + 2.5 * paramBytes + 1.25 * inputBytes + scratch + 16 * BLOCK);
}

function chooseBackend(backend: EngineBackend): ReturnType<typeof loadWasmGemm> {
  if (backend === 'ts') return undefined;
  const wasm = loadWasmGemm();
  if (wasm === undefined && backend === 'wasm')
    throw new EngineError(`the WebAssembly backend is unavailable: ${wasmGemmUnavailableReason() ?? 'unknown reason'}`);
  return wasm;
}

/** Frees what the run holds beyond its outputs. */
function release(plan: Plan): void {
  plan.runPacks?.disposeAll();
  // Unless handed over in place (finish then clears it), the arena still holds the outputs.
  plan.arena?.release();
  // The staging blocks (weights being packed, biases) are not kept between runs either.
  plan.ctx.wasm?.gemm.releaseScratch();
}

function runLayer(plan: Plan, layer: AnalyzedLayer, index: number): void {
  if (!plan.fusedInto.has(layer.name)) {
    const kernel = kernelFor(layer.kind)!;
    const inputs = layer.inputs.map((name, i) => {
      const value = plan.values.get(name);
      if (value === undefined) throw new EngineError(`${layer.name}: input ${name} is not available`);
      // `from: chunk1.1`: the part of a layer with several outputs.
      const slice = layer.inputSlices?.[i];
      return slice === undefined ? value : takeSlice(value, slice);
    });
    const paramsOf = (l: AnalyzedLayer) => plan.params.byLayer.get(l.name) ?? {};
    const followers = plan.fusions.get(layer.name);
    // A fused pass computes the last follower's output; the layers in between never exist.
    const result = followers?.[followers.length - 1] ?? layer;
    let output: Tensor;
    try {
      const forward = (): Tensor =>
        followers === undefined
          ? kernel.forward(layer, inputs, paramsOf(layer), plan.ctx).output
          : kernel.forwardFused!(layer, inputs, paramsOf(layer), plan.ctx, epilogueOf(followers, paramsOf, kernelFor)).output;
      const arena = plan.arena;
      output =
        arena === undefined
          ? forward()
          : reserved(arena, layerBytes(plan, layer, result), () => withTensorStorage(arena, forward), `layer ${layer.name}`);
    } catch (error) {
      // Name the layer in messages from the low-level kernels, which only know the kind.
      if (error instanceof EngineError && !error.message.startsWith(`${layer.name}:`))
        throw new EngineError(`${layer.name}: ${error.message}`);
      throw error;
    }
    if (result.outputShape !== null && !sameShape(output.shape, result.outputShape)) {
      throw new EngineError(
        `${result.name}: the engine computed shape ${formatShape(output.shape)} but the analysis says ${formatShape(result.outputShape)}`,
      );
    }
    plan.values.set(result.name, output);
  }
  for (const name of new Set([...layer.inputs, layer.name])) {
    if ((plan.last.get(name) ?? -1) <= index && !isKept(plan.keep, name)) plan.values.delete(name);
  }
  // Outputs nobody reads any more and the kernel's temporaries go back to the heap.
  plan.arena?.sweep(plan.values.values());
}

function timing(plan: Plan, layer: AnalyzedLayer, ms: number): LayerTiming {
  const head = plan.fusedInto.get(layer.name);
  return { name: layer.name, kind: layer.kind, ms, ...(head === undefined ? {} : { fusedInto: head }) };
}

function finish(plan: Plan, timings: LayerTiming[], options: RunOptions): RunResult {
  const outputs = new Map<string, Tensor>();
  for (const [name, value] of plan.values) {
    if (isKept(plan.keep, name) && (name !== 'input' || plan.keep !== 'all')) outputs.set(name, value);
  }
  const { arena } = plan;
  let release = (): void => {};
  if (arena !== undefined) {
    if (options.outputs === 'in-place') {
      arena.sweep(outputs.values());
      release = () => arena.release();
      // Handed over: the run's cleanup must leave them.
      plan.arena = undefined;
    } else {
      // One copy per buffer: outputs that share one (flatten of a kept layer) still share it.
      const copies = new Map<Float32Array, Float32Array>();
      for (const [name, value] of outputs) {
        const data = value.data;
        if (data.buffer !== arena.gemm.memoryBuffer()) continue;
        let copy = copies.get(data);
        if (copy === undefined) copies.set(data, (copy = data.slice()));
        outputs.set(name, { shape: [...value.shape], data: copy });
      }
    }
  }
  return { outputs, backend: plan.backend, timings, weights: plan.params.description, unusedTensors: plan.params.unused, release };
}

/** Runs the model synchronously. `input` is the model input in NCHW order (TensorFlow.js models too). */
export function runModel(analysis: ModelAnalysis, input: Float32Array, weights: WeightSource, options: RunOptions = {}): RunResult {
  const plan = prepare(analysis, input, weights, options);
  try {
    const timings: LayerTiming[] = [];
    analysis.layers.forEach((layer, i) => {
      if (options.isCancelled?.() === true) throw new RunCancelledError(layer.name);
      const start = performance.now();
      runLayer(plan, layer, i);
      const ms = performance.now() - start;
      timings.push(timing(plan, layer, ms));
      options.onLayer?.(i, layer.name, ms);
    });
    return finish(plan, timings, options);
  } finally {
    release(plan);
  }
}

interface BrowserPort {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
}

let channel: { port: BrowserPort; waiting: (() => void)[] } | undefined;

/**
 * One turn of the event loop (a macrotask: messages queued for this thread get handled). Not
 * setTimeout(0): browsers clamp nested timeouts to 4 ms, 0.7 s over ResNet-50's 175 layers in the
 * preview's worker. Node has setImmediate; a worker has MessageChannel.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  if (channel === undefined) {
    // Only browsers and workers get here (Node has setImmediate): their ports have onmessage,
    // which Node's types (its worker_threads ports) do not declare.
    const { port1, port2 } = new MessageChannel() as unknown as Record<'port1' | 'port2', BrowserPort>;
    const waiting: (() => void)[] = [];
    port1.onmessage = () => waiting.shift()?.();
    channel = { port: port2, waiting };
  }
  const { port, waiting } = channel;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port.postMessage(null);
  });
}

/**
 * How long, at most, the async runner computes before it yields: a Web Worker gets its cancel
 * message within this time plus one layer. A yield per layer cost ResNet-50's 175 layers about
 * 25 ms in the preview's worker (a message round trip each).
 */
const YIELD_INTERVAL_MS = 16;

/**
 * The same, yielding to the event loop between layers (when YIELD_INTERVAL_MS have passed since
 * the last yield, and before the first layer) so a Web Worker can receive a cancel message (and
 * set what `isCancelled` reads) while a model runs. `isCancelled` is asked before every layer.
 */
export async function runModelAsync(
  analysis: ModelAnalysis,
  input: Float32Array,
  weights: WeightSource,
  options: RunOptions = {},
): Promise<RunResult> {
  const plan = prepare(analysis, input, weights, options);
  try {
    const timings: LayerTiming[] = [];
    let yielded = -Infinity;
    for (const [i, layer] of analysis.layers.entries()) {
      if (performance.now() - yielded >= YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        yielded = performance.now();
      }
      if (options.isCancelled?.() === true) throw new RunCancelledError(layer.name);
      const start = performance.now();
      runLayer(plan, layer, i);
      const ms = performance.now() - start;
      timings.push(timing(plan, layer, ms));
      options.onLayer?.(i, layer.name, ms);
    }
    return finish(plan, timings, options);
  } finally {
    release(plan);
  }
}
