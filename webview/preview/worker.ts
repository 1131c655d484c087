// The preview's Web Worker: analyzes the model itself (the core is pure TypeScript: YAML text is
// parsed here, a TypeScript model file arrives as the spec the extension parsed), builds the
// input, runs the engine layer by layer (reporting progress, stopping on cancel), keeps the
// activations of the last run for the page's detail and saliency requests. Shapes are NCHW in the
// engine; those the page shows are in the model's own layout (NHWC for TensorFlow.js). Every
// failure becomes a `failed` message with the reason; nothing here may throw out of a handler.

import { toDisplayShape, type ModelAnalysis } from '../../src/core';
import {
  checkMemoryBudget,
  describeWeights,
  EngineError,
  estimateActivationMemory,
  formatBytes,
  gemmBlocked,
  kernelFor,
  parseSafetensors,
  resolveWeights,
  RunCancelledError,
  runModelAsync,
  tensor,
  type Params,
  type Tensor,
  type Gemm,
  type WeightSource,
} from '../../src/core';
import { asStridedGemm, createEmbeddedWasmGemm, loadWasmGemm } from '../../src/core/engine/wasm';
import type { FailureReason } from '../../src/shared/preview-messages';
import { defaultNormalization, imageToInput, NORMALIZATIONS, resizeImage, rgbaToImage } from './normalize';
import { im2colShape } from './im2col-view';
import { analyzeModelSource, describeErrors, imageInputProblem, unresolvedReason } from './analyze-source';
import { RandomWeightsCache } from './random-weights';
import { computeSaliency, isMaxPool, saliencyLayers } from './saliency';
import { generateSample, SAMPLES, type RgbImage } from './samples';
import { emptyStatsTable, planeLayout, statsBuffers, tensorStatsTable, type StatsTable } from './stats';
import type { FromWorker, InputSource, LayerInfo, TensorData, ToWorker } from './worker-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** Weights by token: the source the engine reads, or why the file could not be read. */
const weightsByToken = new Map<number, { source: WeightSource; label: string } | { error: string }>();

interface LastRun {
  runId: number;
  model: ModelAnalysis;
  /** 'input' and every layer's output (in the WebAssembly module's memory on that backend). */
  values: Map<string, Tensor>;
  params: Map<string, Params>;
  /** Frees the outputs' module memory. */
  release(): void;
}

let lastRun: LastRun | undefined;

/**
 * The matrix multiply of the TypeScript kernels, which the backward passes (saliency) use: the
 * engine's WebAssembly SIMD GEMM when this worker can run it, on an instance of its own. Forward
 * runs pick their backend themselves ('auto') and keep the last run's activations in the shared
 * instance's memory; the backward's staging then never grows that memory under them.
 */
const wasmAvailable = loadWasmGemm() !== undefined;
const gemm: Gemm = backwardGemm();

function backwardGemm(): Gemm {
  const own = createEmbeddedWasmGemm();
  return 'unavailable' in own ? gemmBlocked : asStridedGemm(own);
}
let latestRunId = -1;
/** The run in progress (−1 when none), and the detail requests for it that wait for its end. */
let runningId = -1;
let deferredDetails: string[] = [];
const cancelled = new Set<number>();

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'weights':
      setWeights(message.token, message.weights);
      return;
    case 'run':
      void run(message);
      return;
    case 'cancel':
      cancelled.add(message.runId);
      return;
    case 'detail':
      // The page asks for the layer it will show first while the run is still going: answered
      // right after `done`, so the first view needs no round trip of its own.
      if (message.runId === runningId) deferredDetails.push(message.layer);
      else detail(message.runId, message.layer);
      return;
    case 'saliency':
      saliency(message);
      return;
  }
};

function setWeights(token: number, weights: Extract<ToWorker, { type: 'weights' }>['weights']): void {
  if (weights.kind === 'random') {
    const source: WeightSource = { kind: 'random', seed: weights.seed };
    weightsByToken.set(token, { source, label: describeWeights(source) });
    return;
  }
  try {
    const file = parseSafetensors(weights.bytes);
    const source: WeightSource = { kind: 'tensors', tensors: file.tensors, label: weights.name };
    weightsByToken.set(token, { source, label: describeWeights(source) });
  } catch (error) {
    weightsByToken.set(token, { error: `${weights.name}: ${messageOf(error)}` });
  }
}

/** Random parameters survive across runs: an edit redraws only the layers it changed. */
const randomWeights = new RandomWeightsCache({ lazy: wasmAvailable });

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A shape as the model's framework writes it (NHWC for TensorFlow.js). */
function displayShape(model: ModelAnalysis, shape: readonly number[] | null): number[] {
  return toDisplayShape(model, shape === null ? null : [...shape]) ?? [];
}

function inputImage(source: InputSource, width: number, height: number): RgbImage {
  if (source.kind === 'sample') return generateSample(source.id, width, height);
  return resizeImage(rgbaToImage(source.rgba, source.width, source.height), width, height);
}

function inputName(source: InputSource): string {
  return source.kind === 'sample' ? `sample: ${SAMPLES.find((s) => s.id === source.id)?.label ?? source.id}` : `image: ${source.name}`;
}

/** Batch item 0 of a tensor, copied into its own buffer (so it can be transferred). */
function firstItem(model: ModelAnalysis, name: string, t: Tensor): TensorData {
  const size = planeLayout(t.shape).itemSize;
  return { name, shape: [...t.shape], displayShape: displayShape(model, t.shape), data: t.data.slice(0, size) };
}

/** The last value `make` gave, reused while `key` is unchanged (a `make` that throws is not kept). */
function lastValue<T>(): (key: string, make: () => T) => T {
  let last: { key: string; value: T } | undefined;
  return (key, make) => {
    if (last === undefined || last.key !== key) last = { key, value: make() };
    return last.value;
  };
}

/**
 * A re-run of the same source (the Run button, another input, other weights) reuses its analysis
 * and, for a sample input, its input tensor: ResNet-50's took 40–55 and 20–40 ms a run in the
 * worker. Neither is modified after it is made (the runner copies the input in).
 */
const cachedAnalysis = lastValue<ReturnType<typeof analyzeModelSource>>();
const cachedSampleInput = lastValue<Float32Array>();

async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const { runId } = message;
  latestRunId = runId;
  runningId = runId;
  deferredDetails = [];
  // The previous run's activations are no longer shown: free them before allocating new ones.
  lastRun?.release();
  lastRun = undefined;
  const fail = (reason: FailureReason, text: string): void => post({ type: 'failed', runId, reason, message: text });
  try {
    const t0 = performance.now();
    const analysis = cachedAnalysis(JSON.stringify([message.source, message.options]), () =>
      analyzeModelSource(message.source, { batchSize: message.options.batchSize ?? undefined, bytesPerElement: message.options.bytesPerElement }),
    );
    const model = analysis.model;
    if (model === undefined || analysis.diagnostics.some((d) => d.severity === 'error')) {
      fail('analysis', `the model has errors; fix them to preview it: ${describeErrors(analysis.diagnostics)}`);
      return;
    }
    const unresolved = unresolvedReason(model, analysis.diagnostics);
    if (unresolved !== undefined) {
      fail('analysis', unresolved);
      return;
    }
    const inputProblem = imageInputProblem(model);
    const inputShape = model.input;
    if (inputProblem !== undefined || inputShape === null) {
      fail('analysis', inputProblem ?? 'the model has no input');
      return;
    }
    const missing = [...new Set(model.layers.filter((l) => kernelFor(l.kind) === undefined).map((l) => l.kind))];
    if (missing.length > 0) {
      fail('engine', `the engine has no kernel for ${missing.join(', ')} yet, so this model cannot be previewed`);
      return;
    }
    const weights = weightsByToken.get(message.weightsToken);
    if (weights === undefined || 'error' in weights) {
      fail('weights', weights === undefined ? 'no weights were given to the preview' : weights.error);
      return;
    }
    if (model.framework === 'tfjs' && weights.source.kind === 'tensors') {
      fail(
        'weights',
        `${weights.source.label} is a PyTorch state_dict (tensors named like conv1.weight, in PyTorch's layouts), which does not fit a TensorFlow.js model; ` +
          'the preview runs TensorFlow.js models with random weights: choose "Random weights"',
      );
      return;
    }
    const analyzeMs = performance.now() - t0;
    const [, channels = 1, height = 1, width = 1] = inputShape;
    const normalizationId = message.normalization === 'auto' ? defaultNormalization(channels) : message.normalization;
    const normalization = NORMALIZATIONS[normalizationId];
    const inputLabel = `${inputName(message.input)} · ${normalization.label}`;
    const canSaliency = saliencyLayers(model);
    const layers: LayerInfo[] = model.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      shape: l.outputShape ?? [],
      displayShape: displayShape(model, l.outputShape),
      im2col: im2colShape(l) ?? null,
      pool: isMaxPool(l.kind) ? (l.geometry ?? null) : null,
      saliency: canSaliency.has(l.name),
    }));
    post({
      type: 'analyzed',
      runId,
      modelName: model.name ?? null,
      layout: model.layout,
      inputShape: [...inputShape],
      inputDisplayShape: displayShape(model, inputShape),
      layers,
      inputLabel,
      weights: weights.label,
    });

    const activations = estimateActivationMemory(model, 'all');
    try {
      checkMemoryBudget(activations, message.memoryBudgetBytes);
    } catch (error) {
      fail('memory', `${messageOf(error)} (setting convlens.preview.memoryBudgetMB)`);
      return;
    }
    // The engine's guard counts activations; the weights live in the worker too. The WebAssembly
    // kernels hold them packed: the only copy of random weights (made on demand, see
    // random-weights.ts), a second one of a weights file's (the file stays, to re-run after edits).
    const copies = wasmAvailable && weights.source.kind === 'tensors' ? 2 : 1;
    const parameterBytes = Number(model.totalParams) * 4 * copies;
    if (parameterBytes > message.memoryBudgetBytes) {
      fail(
        'memory',
        `the model's ${model.totalParams.toLocaleString('en-US')} parameters need ${formatBytes(parameterBytes)} as float32` +
          `${copies === 2 ? ' (twice: as read from the file and packed for the WebAssembly kernels)' : ''}, ` +
          `over the ${formatBytes(message.memoryBudgetBytes)} budget (setting convlens.preview.memoryBudgetMB)`,
      );
      return;
    }
    if (activations.peakBytes + parameterBytes > message.memoryBudgetBytes) {
      fail(
        'memory',
        `the run needs about ${formatBytes(activations.peakBytes)} of activations and ${formatBytes(parameterBytes)} of parameters, ` +
          `${formatBytes(activations.peakBytes + parameterBytes)} together, over the ${formatBytes(message.memoryBudgetBytes)} budget ` +
          '(setting convlens.preview.memoryBudgetMB)',
      );
      return;
    }

    const t1 = performance.now();
    let input: Float32Array;
    try {
      const source = message.input;
      const make = (): Float32Array => imageToInput(inputImage(source, width, height), inputShape, normalization);
      input = source.kind === 'sample' ? cachedSampleInput(JSON.stringify([source.id, inputShape, normalizationId]), make) : make();
    } catch (error) {
      fail('input', messageOf(error));
      return;
    }

    const inputMs = performance.now() - t1;
    const t2 = performance.now();
    post({ type: 'phase', runId, text: weights.source.kind === 'random' ? `Drawing random weights for ${model.totalParams.toLocaleString('en-US')} parameters…` : 'Matching the weights to the layers…' });
    let params: Map<string, Params>;
    try {
      params = weights.source.kind === 'random' ? randomWeights.resolve(model.layers, weights.source.seed) : resolveWeights(model.layers, weights.source).byLayer;
    } catch (error) {
      fail('weights', messageOf(error));
      return;
    }
    // The runner resolves weights by state_dict name: hand it the tensors just resolved, so random
    // weights are drawn once.
    const resolved = new Map<string, Tensor>();
    for (const [layer, p] of params) for (const [suffix, t] of Object.entries(p)) resolved.set(`${layer}.${suffix}`, t);

    const weightsMs = performance.now() - t2;
    post({ type: 'phase', runId, text: `Running ${model.layers.length} layers…` });
    const started = performance.now();
    const result = await runModelAsync(model, input, { kind: 'tensors', tensors: resolved, label: weights.label }, {
      keep: 'all',
      // Every output stays in the module's memory, where the engine made it, until the next run.
      outputs: 'in-place',
      gemm,
      memoryBudgetBytes: message.memoryBudgetBytes,
      isCancelled: () => latestRunId !== runId || cancelled.has(runId),
      onLayer: progressReporter(runId, model.layers.length),
    });
    const totalMs = performance.now() - started;
    const values = new Map(result.outputs);
    const inputTensor = tensor(inputShape, input);
    values.set('input', inputTensor);
    lastRun = { runId, model, values, params, release: () => result.release() };
    const timings = new Map(result.timings.map((t) => [t.name, t.ms]));
    // The heatmaps' statistics, by the module's SIMD loop where the outputs live (in place), as
    // typed arrays transferred to the page.
    const statsGemm = result.backend === 'wasm' ? loadWasmGemm() : undefined;
    const tables: StatsTable[] = [];
    const statsOf = (t: Tensor | undefined): StatsTable => {
      const table = t === undefined ? emptyStatsTable() : tensorStatsTable(t.shape, t.data.subarray(0, planeLayout(t.shape).itemSize), statsGemm);
      tables.push(table);
      return table;
    };
    post(
      {
        type: 'done',
        runId,
        totalMs,
        backend: result.backend,
        phases: { analyzeMs, inputMs, weightsMs },
        layers: model.layers.map((l) => ({ name: l.name, ms: timings.get(l.name) ?? 0, stats: statsOf(values.get(l.name)) })),
        inputStats: statsOf(inputTensor),
        unusedTensors: weights.source.kind === 'tensors' ? unusedTensorNames(model, weights.source) : [],
      },
      tables.flatMap(statsBuffers),
    );
  } catch (error) {
    if (error instanceof RunCancelledError) fail('cancelled', 'cancelled');
    else if (error instanceof RangeError) fail('memory', `the worker ran out of memory (${error.message}); lower the input size or batch size`);
    else if (error instanceof EngineError) fail('engine', error.message);
    else fail('engine', `unexpected error: ${messageOf(error)}`);
  } finally {
    cancelled.delete(runId);
    if (runningId === runId) {
      // After `done` these find the run's outputs; after a failure, they are told it is gone.
      runningId = -1;
      const layers = deferredDetails;
      deferredDetails = [];
      for (const layer of layers) detail(runId, layer);
    }
  }
}

/**
 * When the worker reports finished layers during a run: not in its first FIRST_PROGRESS_MS (a run
 * that short needs no progress), then at most every PROGRESS_INTERVAL_MS, and the last layer
 * always. Each report changes the page, and every change costs the workbench a frame: in
 * code-server's headless Chromium on a 2-vCPU machine a workbench frame took 40–110 ms of its
 * main thread's time (style, layout, paint and layerization of the whole window; the webview's
 * page is in the same renderer), CPU the worker's forward pass needs. At one report a frame the
 * main thread was busy through the whole ResNet-50 forward.
 */
const FIRST_PROGRESS_MS = 500;
const PROGRESS_INTERVAL_MS = 250;

function progressReporter(runId: number, layerCount: number): (index: number, name: string, ms: number) => void {
  let pending: { name: string; ms: number }[] = [];
  let next = performance.now() + FIRST_PROGRESS_MS;
  return (index, name, ms) => {
    pending.push({ name, ms });
    const now = performance.now();
    if (now < next && index < layerCount - 1) return;
    post({ type: 'progress', runId, index, layers: pending });
    pending = [];
    next = now + PROGRESS_INTERVAL_MS;
  };
}

function unusedTensorNames(model: ModelAnalysis, source: Extract<WeightSource, { kind: 'tensors' }>): string[] {
  try {
    return resolveWeights(model.layers, source).unused;
  } catch {
    return [];
  }
}

function detail(runId: number, layerName: string): void {
  const run = lastRun;
  if (run === undefined || run.runId !== runId) {
    post({ type: 'detailFailed', runId, layer: layerName, message: 'that run is no longer available' });
    return;
  }
  try {
    const output = run.values.get(layerName);
    if (output === undefined) throw new EngineError(`no output for ${layerName}`);
    const item = firstItem(run.model, layerName, output);
    const transfer: Transferable[] = [item.data.buffer];
    const layer = run.model.byName.get(layerName);
    let input: TensorData | undefined;
    let argmax: Int32Array | undefined;
    if (layer !== undefined && (layer.kind === 'conv2d' || isMaxPool(layer.kind))) {
      const x = run.values.get(layer.inputs[0] ?? '');
      if (x !== undefined) {
        input = firstItem(run.model, layer.inputs[0]!, x);
        if (isMaxPool(layer.kind)) {
          // Recompute on batch item 0 only: the forward run does not keep the argmax.
          const single = tensor([1, ...x.shape.slice(1)], input.data.slice());
          argmax = kernelFor(layer.kind)?.forward(layer, [single], {}, { gemm, framework: run.model.framework }).indices;
        }
        transfer.push(input.data.buffer);
        if (argmax !== undefined) transfer.push(argmax.buffer);
      }
    }
    post({ type: 'detail', runId, layer: layerName, output: item, input, argmax }, transfer);
  } catch (error) {
    post({ type: 'detailFailed', runId, layer: layerName, message: messageOf(error) });
  }
}

function saliency(message: Extract<ToWorker, { type: 'saliency' }>): void {
  const { runId, requestId, target } = message;
  const run = lastRun;
  if (run === undefined || run.runId !== runId) {
    post({ type: 'saliencyFailed', runId, requestId, message: 'that run is no longer available' });
    return;
  }
  try {
    const started = performance.now();
    const result = computeSaliency(run.model, run.values, run.params, target, gemm);
    post({ type: 'saliency', runId, requestId, target, result, ms: performance.now() - started }, [result.magnitude.buffer]);
  } catch (error) {
    post({ type: 'saliencyFailed', runId, requestId, message: error instanceof RangeError ? `out of memory: ${error.message}` : messageOf(error) });
  }
}
