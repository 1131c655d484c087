// Elementwise sum of two or more inputs (residual connections), with PyTorch broadcasting.
import { EngineError, sameShape, emptyTensor, type Tensor } from '../../engine/tensor';
import { broadcastIndex, broadcastOrThrow, reduceToShape } from '../broadcast';
import { applyEpilogue } from '../../run/fusion';
import type { WasmGemm } from '../../engine/wasm/index';
import type { LayerKernel } from '../kernel-types';

/**
 * The sum, left to right (as PyTorch's a + b + c), then the ReLU if `relu`. With `wasm`, the
 * module's SIMD loop adds each pair where the operands live (the activations' own memory, in a run).
 * Inputs of different shapes are broadcast as PyTorch does (a plain loop, without the module).
 */
export function addForward(inputs: readonly Tensor[], wasm?: WasmGemm, relu = false): Tensor {
  const first = inputs[0];
  if (first === undefined || inputs.length < 2) throw new EngineError(`add takes at least two inputs, got ${inputs.length}`);
  if (inputs.some((t) => !sameShape(t.shape, first.shape))) {
    const y = broadcastAdd(inputs);
    if (relu) applyEpilogue(y, { relu: true });
    return y;
  }
  const y = emptyTensor(first.shape);
  if (wasm !== undefined) {
    inputs.slice(1).forEach((t, i) => wasm.add(i === 0 ? first.data : y.data, t.data, y.data, { relu: relu && i === inputs.length - 2 }));
    return y;
  }
  const out = y.data;
  out.set(first.data);
  for (const t of inputs.slice(1)) {
    const d = t.data;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + d[i]!;
  }
  if (relu) applyEpilogue(y, { relu: true });
  return y;
}

function broadcastAdd(inputs: readonly Tensor[]): Tensor {
  const shape = broadcastOrThrow('add', inputs);
  const y = emptyTensor(shape);
  const out = y.data;
  inputs.forEach((t, i) => {
    const index = broadcastIndex(shape, t.shape);
    const d = t.data;
    if (i === 0) for (let o = 0; o < out.length; o++) out[o] = d[index[o]!]!;
    else for (let o = 0; o < out.length; o++) out[o] = out[o]! + d[index[o]!]!;
  });
  return y;
}

export const addKernel: LayerKernel = {
  forward(_layer, inputs, _params, ctx) {
    return { output: addForward(inputs, ctx.wasm?.gemm) };
  },
  // A residual sum and the ReLU after it (ResNet blocks) in one pass.
  forwardFused(_layer, inputs, _params, ctx, epilogue) {
    if (epilogue.affine === undefined && !epilogue.relu6) return { output: addForward(inputs, ctx.wasm?.gemm, epilogue.relu === true) };
    const y = addForward(inputs, ctx.wasm?.gemm);
    applyEpilogue(y, epilogue);
    return { output: y };
  },
  backward(_layer, inputs, _params, _forward, dy) {
    // A broadcast input's gradient is dy summed over the axes it was repeated along.
    return { inputs: inputs.map((t) => (sameShape(t.shape, dy.shape) ? dy : reduceToShape(dy, t.shape))), params: {} };
  },
};
