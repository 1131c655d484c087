// Elementwise sum of two or more inputs of equal shape (residual connections).
import { EngineError, formatShape, sameShape, tensor, type Tensor } from '../tensor';
import type { LayerKernel } from './types';

export function addForward(inputs: readonly Tensor[]): Tensor {
  const first = inputs[0];
  if (first === undefined || inputs.length < 2) throw new EngineError(`add takes at least two inputs, got ${inputs.length}`);
  for (const t of inputs) {
    if (!sameShape(t.shape, first.shape)) throw new EngineError(`add: shapes ${inputs.map((i) => formatShape(i.shape)).join(' and ')} differ`);
  }
  // The typed-array copy constructor is a memcpy; Float32Array.from walks an iterator.
  const y = tensor(first.shape, new Float32Array(first.data));
  const out = y.data;
  for (const t of inputs.slice(1)) {
    const d = t.data;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + d[i]!;
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
