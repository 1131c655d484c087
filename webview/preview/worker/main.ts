// The preview's Web Worker: runs the analysis the extension sent (it never parses or analyzes a
// model file), builds the input, runs the engine layer by layer (reporting progress, stopping on
// cancel), keeps the activations of the last run for the page's detail and saliency requests.
// Shapes are NCHW in the engine; those the page shows are in the model's own layout (NHWC for
// TensorFlow.js). Every failure becomes a `failed` message with the reason; nothing here may throw
// out of a handler.

import { toDisplayShape } from '../../../src/core/analyze/display-shape';
import type { ModelAnalysis } from '../../../src/core/analyze/analysis-types';
import { EngineError, gemmBlocked, tensor, type Gemm, type Tensor } from '../../../src/core/engine';
import { kernelFor, type Params } from '../../../src/core/kinds/kernels';
import { runModelAsync, type ResolvedWeights, type RunResult } from '../../../src/core/run';
import { asStridedGemm, createEmbeddedWasmGemm, loadWasmGemm } from '../../../src/core/engine/wasm';
import { deserializeAnalysis } from '../../../src/shared/model-transfer';
import { im2colShape } from '../im2col-view';
import { defaultNormalization, NORMALIZATIONS, type NormalizationId } from '../normalize';
import type { FromWorker, LayerInfo, TensorData, ToWorker } from '../protocol';
import { emptyStatsTable, planeLayout, statsBuffers, tensorStatsTable, type StatsTable } from '../stats';
import { computeSaliency, isMaxPool, saliencyLayers } from './saliency';
import { checkMemory, failureOf, inputName, messageOf, modelInput } from './steps';
import { WorkerWeights, type ChosenWeights } from './weights';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

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
/** The weights the page handed over; random ones survive across runs (an edit redraws only the layers it changed). */
const workerWeights = new WorkerWeights(wasmAvailable);

let latestRunId = -1;
/** The run in progress (−1 when none), and the detail requests for it that wait for its end. */
let runningId = -1;
let deferredDetails: string[] = [];
const cancelled = new Set<number>();

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'weights':
      workerWeights.set(message.token, message.weights);
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

/** A shape as the model's framework writes it (NHWC for TensorFlow.js). */
function displayShape(model: ModelAnalysis, shape: readonly number[] | null): number[] {
  return toDisplayShape(model, shape === null ? null : [...shape]) ?? [];
}

/** Batch item 0 of a tensor, copied into its own buffer (so it can be transferred). */
function firstItem(model: ModelAnalysis, name: string, t: Tensor): TensorData {
  const size = planeLayout(t.shape).itemSize;
  return { name, shape: [...t.shape], displayShape: displayShape(model, t.shape), data: t.data.slice(0, size) };
}

type RunMessage = Extract<ToWorker, { type: 'run' }>;

async function run(message: RunMessage): Promise<void> {
  const { runId } = message;
  latestRunId = runId;
  runningId = runId;
  deferredDetails = [];
  // The previous run's activations are no longer shown: free them before allocating new ones.
  lastRun?.release();
  lastRun = undefined;
  try {
    const t0 = performance.now();
    // The extension's analysis, as it sent it: refusals of what it cannot run were its to make.
    const model = deserializeAnalysis(message.analysis);
    const weights = workerWeights.chosen(model, message.weightsToken);
    const analyzeMs = performance.now() - t0;
    const normalization = announce(runId, model, message, weights);
    checkMemory(model, weights.source.kind === 'random' ? 'random' : 'file', message.memoryBudgetBytes, wasmAvailable);
    const t1 = performance.now();
    const input = modelInput(model, message.input, normalization);
    const inputMs = performance.now() - t1;
    const t2 = performance.now();
    const { source } = weights;
    post({
      type: 'phase',
      runId,
      text:
        source.kind === 'random'
          ? `Drawing random weights for ${model.totalParams.toLocaleString('en-US')} parameters…`
          : 'Matching the weights to the layers…',
    });
    const params = workerWeights.resolve(model, weights);
    const weightsMs = performance.now() - t2;
    post({ type: 'phase', runId, text: `Running ${model.layers.length} layers…` });
    const started = performance.now();
    const result = await forward(runId, model, input, params);
    const totalMs = performance.now() - started;
    report(runId, model, input, params, result, { totalMs, analyzeMs, inputMs, weightsMs });
  } catch (error) {
    const [reason, text] = failureOf(error);
    post({ type: 'failed', runId, reason, message: text });
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

/** Tells the page the layers to list while the run goes on; returns the input's normalization. */
function announce(runId: number, model: ModelAnalysis, message: RunMessage, weights: ChosenWeights): NormalizationId {
  const [, channels = 1] = model.input ?? [];
  const normalization = message.normalization === 'auto' ? defaultNormalization(channels) : message.normalization;
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
    inputShape: [...(model.input ?? [])],
    inputDisplayShape: displayShape(model, model.input),
    layers,
    inputLabel: `${inputName(message.input)} · ${NORMALIZATIONS[normalization].label}`,
    weights: weights.label,
  });
  return normalization;
}

/** Runs every layer, keeping every output in place (in the module's memory on that backend). */
function forward(runId: number, model: ModelAnalysis, input: Tensor, params: ResolvedWeights): Promise<RunResult> {
  return runModelAsync(
    model,
    input.data,
    { kind: 'resolved', weights: params },
    {
      keep: 'all',
      // Every output stays in the module's memory, where the engine made it, until the next run.
      outputs: 'in-place',
      gemm,
      // checkMemory applied the preview's budget, which also counts the parameters.
      memoryBudgetBytes: Number.POSITIVE_INFINITY,
      isCancelled: () => latestRunId !== runId || cancelled.has(runId),
      onLayer: progressReporter(runId, model.layers.length),
    },
  );
}

/** Keeps the run for detail and saliency requests and sends the page its timings and statistics. */
function report(
  runId: number,
  model: ModelAnalysis,
  input: Tensor,
  params: ResolvedWeights,
  result: RunResult,
  times: { totalMs: number; analyzeMs: number; inputMs: number; weightsMs: number },
): void {
  const { totalMs, ...phases } = times;
  const values = new Map(result.outputs);
  values.set('input', input);
  lastRun = { runId, model, values, params: params.byLayer, release: () => result.release() };
  const timings = new Map(result.timings.map((t) => [t.name, t.ms]));
  // The heatmaps' statistics, by the module's SIMD loop where the outputs live (in place), as
  // typed arrays transferred to the page.
  const statsGemm = result.backend === 'wasm' ? loadWasmGemm() : undefined;
  const tables: StatsTable[] = [];
  const statsOf = (t: Tensor | undefined): StatsTable => {
    const table =
      t === undefined ? emptyStatsTable() : tensorStatsTable(t.shape, t.data.subarray(0, planeLayout(t.shape).itemSize), statsGemm);
    tables.push(table);
    return table;
  };
  post(
    {
      type: 'done',
      runId,
      totalMs,
      backend: result.backend,
      phases,
      layers: model.layers.map((l) => ({ name: l.name, ms: timings.get(l.name) ?? 0, stats: statsOf(values.get(l.name)) })),
      inputStats: statsOf(input),
      unusedTensors: result.unusedTensors,
    },
    tables.flatMap(statsBuffers),
  );
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
    post({
      type: 'saliencyFailed',
      runId,
      requestId,
      message: error instanceof RangeError ? `out of memory: ${error.message}` : messageOf(error),
    });
  }
}
