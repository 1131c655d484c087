// Elementwise sum of two or more inputs of equal shape (residual connections).
import { EngineError, formatShape, sameShape, emptyTensor, type Tensor } from '../tensor';
import { applyEpilogue } from '../fusion';
import type { LayerKernel } from './types';

export function addForward(inputs: readonly Tensor[]): Tensor {
  const first = inputs[0];
  if (first === undefined || inputs.length < 2) throw new EngineError(`add takes at least two inputs, got ${inputs.length}`);
  for (const t of inputs) {
    if (!sameShape(t.shape, first.shape)) throw new EngineError(`add: shapes ${inputs.map((i) => formatShape(i.shape)).join(' and ')} differ`);
  }
  const y = emptyTensor(first.shape);
  const out = y.data;
  out.set(first.data);
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
  // A residual sum and the ReLU after it (ResNet blocks) in one loop.
  forwardFused(_layer, inputs, _params, _ctx, epilogue) {
    const [a, b] = inputs;
    if (inputs.length !== 2 || a === undefined || b === undefined || epilogue.affine !== undefined || epilogue.relu !== true || !sameShape(a.shape, b.shape)) {
      const y = addForward(inputs);
      applyEpilogue(y, epilogue);
      return { output: y };
    }
    const y = emptyTensor(a.shape);
    const out = y.data, x0 = a.data, x1 = b.data;
    for (let i = 0; i < out.length; i++) {
      const v = x0[i]! + x1[i]!;
      out[i] = v < 0 ? 0 : v;
    }
    return { output: y };
  },
  backward(_layer, inputs, _params, _forward, dy) {
    return { inputs: inputs.map(() => dy), params: {} };
  },
};
