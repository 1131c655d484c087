// torch.cat along `dim` (default 1, negative counts from the end).
import { EngineError, formatShape, tensor, type Tensor } from '../../engine/tensor';
import type { LayerKernel } from '../kernel-types';
import type { ConcatAttrs } from './def';

function normalizeDim(dim: number, rank: number): number {
  const d = dim < 0 ? dim + rank : dim;
  if (d < 0 || d >= rank) throw new EngineError(`concat: dim ${dim} is out of range for rank ${rank}`);
  return d;
}

/** Elements before `dim` (outer) and from `dim` on for each input (its chunk). */
function layout(inputs: readonly Tensor[], dim: number): { outer: number; chunks: number[]; shape: number[] } {
  const first = inputs[0];
  if (first === undefined) throw new EngineError('concat takes at least one input, got 0');
  const d = normalizeDim(dim, first.shape.length);
  const shape = [...first.shape];
  shape[d] = 0;
  for (const t of inputs) {
    const ok = t.shape.length === first.shape.length && t.shape.every((v, i) => i === d || v === first.shape[i]);
    if (!ok) throw new EngineError(`concat: shapes ${inputs.map((i) => formatShape(i.shape)).join(', ')} differ outside dim ${dim}`);
    shape[d] = shape[d]! + t.shape[d]!;
  }
  let outer = 1;
  for (let i = 0; i < d; i++) outer *= first.shape[i]!;
  return { outer, chunks: inputs.map((t) => t.data.length / outer), shape };
}

export function concatForward(inputs: readonly Tensor[], dim: number): Tensor {
  const { outer, chunks, shape } = layout(inputs, dim);
  const y = tensor(shape);
  let o = 0;
  for (let b = 0; b < outer; b++) {
    inputs.forEach((t, i) => {
      const chunk = chunks[i]!;
      y.data.set(t.data.subarray(b * chunk, (b + 1) * chunk), o);
      o += chunk;
    });
  }
  return y;
}

export function concatBackward(inputs: readonly Tensor[], dim: number, dy: Tensor): Tensor[] {
  const { outer, chunks } = layout(inputs, dim);
  const grads = inputs.map((t) => tensor(t.shape));
  let o = 0;
  for (let b = 0; b < outer; b++) {
    grads.forEach((g, i) => {
      const chunk = chunks[i]!;
      g.data.set(dy.data.subarray(o, o + chunk), b * chunk);
      o += chunk;
    });
  }
  return grads;
}

export const concatKernel: LayerKernel<ConcatAttrs> = {
  forward(layer, inputs) {
    return { output: concatForward(inputs, layer.attrs.dim) };
  },
  backward(layer, inputs, _params, _forward, dy) {
    return { inputs: concatBackward(inputs, layer.attrs.dim, dy), params: {} };
  },
};
