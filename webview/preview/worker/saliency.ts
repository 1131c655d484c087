// Saliency: which input pixels drive one unit. L is a unit of a layer's output (one element, or
// the sum of one channel's plane) in batch item 0; the map is |dL/dx| over the model input,
// computed with the engine's per-kind backward kernels from the activations a forward run kept.
// The engine has no whole-model backward driver yet, so this file walks the analysis in reverse.
// Pure: no DOM.

import type { AnalyzedLayer, ModelAnalysis } from '../../../src/core/analyze/analysis-types';
import { adaptiveWindow } from '../../../src/core/geometry';
import { EngineError, gemmBlocked, tensor, type Gemm, type Tensor } from '../../../src/core/engine';
import { kernelFor, type LayerKernel, type Params } from '../../../src/core/kinds/kernels';
import type { SaliencyResult, SaliencyTarget } from '../protocol';
import { planeLayout } from '../stats';

export type { SaliencyResult, SaliencyTarget } from '../protocol';

/**
 * Backward kernels the engine does not have yet, for kinds common right before a classifier.
 * Remove an entry once the engine's kernel gains `backward`.
 */
const FALLBACK_BACKWARD: Readonly<Record<string, (layer: AnalyzedLayer, x: Tensor, dy: Tensor) => Tensor>> = {
  adaptive_avgpool2d: (_layer, x, dy) => {
    const [n = 1, c = 1, inH = 1, inW = 1] = x.shape;
    const [, , outH = 1, outW = 1] = dy.shape;
    const dx = tensor(x.shape);
    for (let p = 0; p < n * c; p++) {
      for (let oh = 0; oh < outH; oh++) {
        const [h0, h1] = adaptiveWindow(oh, inH, outH);
        for (let ow = 0; ow < outW; ow++) {
          const [w0, w1] = adaptiveWindow(ow, inW, outW);
          const g = dy.data[(p * outH + oh) * outW + ow]! / ((h1 - h0) * (w1 - w0));
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) dx.data[(p * inH + ih) * inW + iw] = dx.data[(p * inH + ih) * inW + iw]! + g;
          }
        }
      }
    }
    return dx;
  },
};

/** Kinds the saliency walk can go back through. */
export function hasBackward(kind: string): boolean {
  return kernelFor(kind)?.backward !== undefined || kind in FALLBACK_BACKWARD;
}

/** The max-pooling kinds, whose argmax the preview can show: PyTorch's and TensorFlow's. */
export function isMaxPool(kind: string): boolean {
  return kind === 'maxpool2d' || kind === 'tf_maxpool2d';
}

/**
 * Whether the walk can go back through this layer. A TensorFlow.js dense layer on a 4-D tensor
 * (applied over the channels at every position) has a forward in the engine but no backward yet:
 * the linear kernel's backward is the [N, F] one.
 */
export function canDifferentiate(layer: AnalyzedLayer, framework: ModelAnalysis['framework']): boolean {
  if (framework === 'tfjs' && layer.kind === 'linear' && layer.inputShapes[0]?.length === 4) return false;
  return hasBackward(layer.kind);
}

/** Layers whose saliency can be computed: every layer back to the input can be differentiated. */
export function saliencyLayers(model: ModelAnalysis): Set<string> {
  const ok = new Set<string>(['input']);
  for (const layer of model.layers) {
    if (canDifferentiate(layer, model.framework) && layer.inputs.every((name) => ok.has(name))) ok.add(layer.name);
  }
  return ok;
}

/**
 * dL/d(output) for the target unit in batch item 0: ones over the channel's plane, or a single
 * one at the pixel; for [N, F] outputs the channel is a feature and the pixel is ignored.
 */
export function seedGradient(shape: readonly number[], target: SaliencyTarget): Tensor {
  const dy = tensor(shape);
  if (shape.length === 2) {
    const features = shape[1] ?? 0;
    if (!(Number.isInteger(target.channel) && target.channel >= 0 && target.channel < features)) {
      throw new EngineError(`${target.layer} has ${features} features; there is no feature ${target.channel}`);
    }
    dy.data[target.channel] = 1;
    return dy;
  }
  const layout = planeLayout(shape);
  if (!(Number.isInteger(target.channel) && target.channel >= 0 && target.channel < layout.planes)) {
    throw new EngineError(
      `${target.layer} has ${layout.planes} channel${layout.planes === 1 ? '' : 's'}; there is no channel ${target.channel}`,
    );
  }
  const plane = layout.height * layout.width;
  const base = target.channel * plane;
  if (target.pixel === undefined) {
    dy.data.fill(1, base, base + plane);
  } else {
    const [r, c] = target.pixel;
    if (!(Number.isInteger(r) && Number.isInteger(c) && r >= 0 && r < layout.height && c >= 0 && c < layout.width)) {
      throw new EngineError(`pixel (${r}, ${c}) lies outside ${target.layer}'s ${layout.height} × ${layout.width} plane`);
    }
    dy.data[base + r * layout.width + c] = 1;
  }
  return dy;
}

function accumulate(grads: Map<string, Tensor>, name: string, g: Tensor): void {
  const existing = grads.get(name);
  if (existing === undefined) {
    grads.set(name, g);
    return;
  }
  // Never add in place: a kernel may hand the same tensor to several inputs (add's backward does).
  const sum = tensor(existing.shape);
  for (let i = 0; i < sum.data.length; i++) sum.data[i] = existing.data[i]! + g.data[i]!;
  grads.set(name, sum);
}

/**
 * |dL/dx| for the target. `values` holds the model input (as 'input') and the output of every
 * layer up to the target, from a forward run with the same parameters.
 */
export function computeSaliency(
  analysis: ModelAnalysis,
  values: ReadonlyMap<string, Tensor>,
  params: ReadonlyMap<string, Params>,
  target: SaliencyTarget,
  gemm: Gemm = gemmBlocked,
): SaliencyResult {
  const index = analysis.layers.findIndex((l) => l.name === target.layer);
  const targetLayer = analysis.layers[index];
  const output = values.get(target.layer);
  if (targetLayer === undefined || output === undefined) throw new EngineError(`no output of layer ${target.layer} to differentiate`);
  const seed = seedGradient(output.shape, target);
  let value = 0;
  for (let i = 0; i < seed.data.length; i++) if (seed.data[i] !== 0) value += output.data[i]!;

  const grads = new Map<string, Tensor>([[target.layer, seed]]);
  for (let i = index; i >= 0; i--) {
    const layer = analysis.layers[i]!;
    const dy = grads.get(layer.name);
    if (dy === undefined) continue;
    grads.delete(layer.name);
    const inputs = layer.inputs.map((name) => {
      const v = values.get(name);
      if (v === undefined) throw new EngineError(`${layer.name}: input ${name} was not kept by the forward run`);
      return v;
    });
    const kernel: LayerKernel | undefined = canDifferentiate(layer, analysis.framework) ? kernelFor(layer.kind) : undefined;
    const layerOutput = values.get(layer.name);
    if (kernel?.backward !== undefined && layerOutput !== undefined) {
      // The framework decides what flatten's backward undoes (TensorFlow flattens channels-last).
      const result = kernel.backward(layer, inputs, params.get(layer.name) ?? {}, { output: layerOutput }, dy, {
        gemm,
        framework: analysis.framework,
      });
      result.inputs.forEach((g, j) => accumulate(grads, layer.inputs[j]!, g));
      continue;
    }
    const fallback = FALLBACK_BACKWARD[layer.kind];
    if (fallback !== undefined && inputs.length === 1) {
      accumulate(grads, layer.inputs[0]!, fallback(layer, inputs[0]!, dy));
      continue;
    }
    throw new EngineError(`the engine has no backward pass for ${layer.kind} (layer ${layer.name}); choose a layer before it`);
  }
  const dx = grads.get('input');
  const input = values.get('input');
  if (dx === undefined || input === undefined) throw new EngineError(`${target.layer} does not depend on the model input`);
  const itemSize = input.shape.slice(1).reduce((a, b) => a * b, 1);
  const magnitude = new Float32Array(itemSize);
  let max = 0;
  for (let i = 0; i < itemSize; i++) {
    const m = Math.abs(dx.data[i]!);
    magnitude[i] = m;
    if (m > max) max = m;
  }
  return { magnitude, shape: [1, ...input.shape.slice(1)], value, max };
}
