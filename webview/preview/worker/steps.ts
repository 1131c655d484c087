// The steps of a preview run that need nothing of the worker's state: the memory budget, the
// model input, and the reason a run stopped. A step that refuses throws RunRefused with the
// reason the page shows.

import type { ModelAnalysis } from '../../../src/core/analyze/analysis-types';
import { EngineError, tensor, type Tensor } from '../../../src/core/engine';
import { checkMemoryBudget, estimateActivationMemory, formatBytes, RunCancelledError } from '../../../src/core/run';
import type { FailureReason } from '../../../src/shared/preview-messages';
import { imageToInput, NORMALIZATIONS, resizeImage, rgbaToImage, type NormalizationId } from '../normalize';
import type { InputSource } from '../protocol';
import { generateSample, SAMPLES, type RgbImage } from '../samples';

/** A run that stops before its layers, for a reason the page shows. */
export class RunRefused extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'RunRefused';
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The preview's memory budget (convlens.preview.memoryBudgetMB), checked here alone and before
 * anything is drawn or allocated: the activations the run keeps (the engine's estimate), the
 * parameters, and both together. The WebAssembly kernels hold weights packed: the only copy of
 * random weights (made on demand, see random-weights.ts), a second one of a weights file's (the
 * file stays, to re-run after edits).
 */
export function checkMemory(model: ModelAnalysis, weights: 'random' | 'file', budget: number, wasm: boolean): void {
  const activations = estimateActivationMemory(model, 'all');
  try {
    checkMemoryBudget(activations, budget);
  } catch (error) {
    throw new RunRefused('memory', `${messageOf(error)} (setting convlens.preview.memoryBudgetMB)`);
  }
  const copies = wasm && weights === 'file' ? 2 : 1;
  const parameterBytes = Number(model.totalParams) * 4 * copies;
  if (parameterBytes > budget) {
    throw new RunRefused(
      'memory',
      `the model's ${model.totalParams.toLocaleString('en-US')} parameters need ${formatBytes(parameterBytes)} as float32` +
        `${copies === 2 ? ' (twice: as read from the file and packed for the WebAssembly kernels)' : ''}, ` +
        `over the ${formatBytes(budget)} budget (setting convlens.preview.memoryBudgetMB)`,
    );
  }
  if (activations.peakBytes + parameterBytes > budget) {
    throw new RunRefused(
      'memory',
      `the run needs about ${formatBytes(activations.peakBytes)} of activations and ${formatBytes(parameterBytes)} of parameters, ` +
        `${formatBytes(activations.peakBytes + parameterBytes)} together, over the ${formatBytes(budget)} budget ` +
        '(setting convlens.preview.memoryBudgetMB)',
    );
  }
}

export function inputName(source: InputSource): string {
  return source.kind === 'sample' ? `sample: ${SAMPLES.find((s) => s.id === source.id)?.label ?? source.id}` : `image: ${source.name}`;
}

function inputImage(source: InputSource, width: number, height: number): RgbImage {
  if (source.kind === 'sample') return generateSample(source.id, width, height);
  return resizeImage(rgbaToImage(source.rgba, source.width, source.height), width, height);
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
 * A re-run with a sample input (the Run button, other weights, an edit elsewhere) reuses its input
 * tensor: ResNet-50's took 20–40 ms a run in the worker. It is not modified after it is made (the
 * runner copies the input in).
 */
const cachedSampleInput = lastValue<Float32Array>();

/** The model input (NCHW) made from the chosen picture or sample. */
export function modelInput(model: ModelAnalysis, source: InputSource, normalizationId: NormalizationId): Tensor {
  // The extension refuses models without an image input [N, C, H, W].
  const inputShape = model.input!;
  const [, , height = 1, width = 1] = inputShape;
  const normalization = NORMALIZATIONS[normalizationId];
  try {
    const make = (): Float32Array => imageToInput(inputImage(source, width, height), inputShape, normalization);
    const data = source.kind === 'sample' ? cachedSampleInput(JSON.stringify([source.id, inputShape, normalizationId]), make) : make();
    return tensor(inputShape, data);
  } catch (error) {
    throw new RunRefused('input', messageOf(error));
  }
}

/** The reason and text of a failed run, from what stopped it. */
export function failureOf(error: unknown): [FailureReason, string] {
  if (error instanceof RunRefused) return [error.reason, error.message];
  if (error instanceof RunCancelledError) return ['cancelled', 'cancelled'];
  if (error instanceof RangeError) return ['memory', `the worker ran out of memory (${error.message}); lower the input size or batch size`];
  if (error instanceof EngineError) return ['engine', error.message];
  return ['engine', `unexpected error: ${messageOf(error)}`];
}
