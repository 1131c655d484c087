// Which layers the WebAssembly backend folds into the layer before them. A conv2d followed by a
// batchnorm2d and/or a relu (or relu6) runs as one pass: the batch normalization folded into the packed
// weights and the bias, the ReLU (ReLU6) applied to each output tile before it is stored; a
// depthwise conv2d folds them the same way in its row kernels; a residual add and its ReLU are one
// loop. A follower is folded only when nothing else can see the value it
// replaces: the layer it follows is not kept and has it as its only reader. Kinds take part by
// their kernel: `forwardFused` for a head, `asEpilogue` for a follower. The TypeScript backend,
// the reference, never fuses.

import type { AnalyzedLayer, ModelAnalysis } from '../analyze/analysis-types';
import type { Epilogue, LayerKernel, Params } from '../kinds/kernel-types';
import { isKept } from './memory';
import { nchw, type Tensor } from '../engine/tensor';

/** For each fused head layer, the layers folded into it, in order (the last one names the result). */
export type Fusions = Map<string, AnalyzedLayer[]>;

export function planFusions(
  analysis: ModelAnalysis,
  keep: 'all' | readonly string[],
  kernelFor: (kind: string) => LayerKernel | undefined,
): Fusions {
  const readers = new Map<string, AnalyzedLayer[]>();
  for (const layer of analysis.layers) {
    for (const name of layer.inputs) readers.set(name, [...(readers.get(name) ?? []), layer]);
  }
  const fusions: Fusions = new Map();
  for (const head of analysis.layers) {
    if (kernelFor(head.kind)?.forwardFused === undefined) continue;
    const followers: AnalyzedLayer[] = [];
    let last = head;
    let hasAffine = false;
    for (;;) {
      const next = readers.get(last.name);
      if (isKept(keep, last.name) || next === undefined || next.length !== 1) break;
      const follower = next[0]!;
      if (follower.inputs.length !== 1 || kernelFor(follower.kind)?.asEpilogue === undefined) break;
      // The epilogue is an affine map, then a ReLU or ReLU6: nothing after it, one affine map.
      const isRelu = follower.kind === 'relu' || follower.kind === 'relu6';
      if (!isRelu && hasAffine) break;
      followers.push(follower);
      last = follower;
      if (isRelu) break;
      hasAffine = true;
    }
    if (followers.length > 0) fusions.set(head.name, followers);
  }
  return fusions;
}

/** The followers' epilogues, merged into one. */
export function epilogueOf(
  followers: readonly AnalyzedLayer[],
  paramsOf: (layer: AnalyzedLayer) => Params,
  kernelFor: (kind: string) => LayerKernel | undefined,
): Epilogue {
  const merged: Epilogue = {};
  for (const layer of followers) {
    const part = kernelFor(layer.kind)!.asEpilogue!(layer, paramsOf(layer));
    if (part.affine) merged.affine = part.affine;
    if (part.relu) merged.relu = true;
    if (part.relu6) merged.relu6 = true;
  }
  return merged;
}

/** The epilogue as a pass over y, for kernels without a fused one (depthwise, add, the TypeScript conv). */
export function applyEpilogue(y: Tensor, { affine, relu = false, relu6 = false }: Epilogue): void {
  if (affine === undefined && !relu && !relu6) return;
  const [n, c, h, w] = nchw(y, 'epilogue');
  const plane = h * w,
    d = y.data;
  for (let p = 0; p < n * c; p++) {
    const s = affine?.scale[p % c] ?? 1,
      t = affine?.shift[p % c] ?? 0;
    for (let i = p * plane; i < (p + 1) * plane; i++) {
      const v = d[i]! * s + t;
      d[i] = relu6 ? (v <= 0 ? 0 : v >= 6 ? 6 : v) : relu && v < 0 ? 0 : v;
    }
  }
}
