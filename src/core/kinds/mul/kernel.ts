// Elementwise product of two or more inputs, with PyTorch broadcasting.
import { EngineError, emptyTensor, sameShape, type Tensor } from '../../engine/tensor';
import { broadcastIndex, broadcastOrThrow, reduceToShape } from '../broadcast';
import type { LayerKernel } from '../kernel-types';

/** The product, left to right (as PyTorch's a * b * c), each input broadcast to the output shape. */
export function mulForward(inputs: readonly Tensor[]): Tensor {
  if (inputs.length < 2) throw new EngineError(`mul takes at least two inputs, got ${inputs.length}`);
  const shape = broadcastOrThrow('mul', inputs);
  const y = emptyTensor(shape);
  const out = y.data;
  inputs.forEach((t, i) => {
    const index = broadcastIndex(shape, t.shape);
    const d = t.data;
    if (i === 0) for (let o = 0; o < out.length; o++) out[o] = d[index[o]!]!;
    else for (let o = 0; o < out.length; o++) out[o] = out[o]! * d[index[o]!]!;
  });
  return y;
}

/** d input i = dy × the product of the other inputs (broadcast), summed back to input i's shape. */
export function mulBackward(inputs: readonly Tensor[], dy: Tensor): Tensor[] {
  const shape = dy.shape;
  const indices = inputs.map((t) => broadcastIndex(shape, t.shape));
  return inputs.map((t, i) => {
    const g = emptyTensor(shape);
    const gd = g.data;
    gd.set(dy.data);
    inputs.forEach((other, j) => {
      if (j === i) return;
      const index = indices[j]!;
      const d = other.data;
      for (let o = 0; o < gd.length; o++) gd[o] = gd[o]! * d[index[o]!]!;
    });
    return sameShape(t.shape, shape) ? g : reduceToShape(g, t.shape);
  });
}

export const mulKernel: LayerKernel = {
  forward(_layer, inputs) {
    return { output: mulForward(inputs) };
  },
  backward(_layer, inputs, _params, _forward, dy) {
    return { inputs: mulBackward(inputs, dy), params: {} };
  },
};
