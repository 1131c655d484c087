// Elementwise sum of two or more inputs of equal shape (residual connections).
import { EngineError, formatShape, sameShape, tensor, type Tensor } from '../tensor';
import type { LayerKernel } from './types';

export function addForward(inputs: readonly Tensor[]): Tensor {
  const first = inputs[0];
  if (first === undefined || inputs.length < 2) throw new EngineError(`add takes at least two inputs, got ${inputs.length}`);
  for (const t of inputs) {
    if (!sameShape(t.shape, first.shape)) throw new EngineError(`add: shapes ${inputs.map((i) => formatShape(i.shape)).join(' and ')} differ`);
  }
  const y = tensor(first.shape, Float32Array.from(first.data));
  for (const t of inputs.slice(1)) {
    for (let i = 0; i < y.data.length; i++) y.data[i] = y.data[i]! + t.data[i]!;
  }
  return y;
}

export const addKernel: LayerKernel = {
  forward(_layer, inputs) {
    return { output: addForward(inputs) };
  },
  backward(_layer, inputs, _params, _forward, dy) {
    return { inputs: inputs.map(() => dy), params: {} };
  },
};
