// torch.nn.Linear on the last dimension: y = x · Wᵀ + b, W: [out_features, in_features].
// TensorFlow's dense acts on the channel axis, which for a 4-D tensor (NCHW here) is axis 1: there
// it is a 1×1 convolution, y_n = W · x_n per image. The WebAssembly path packs W once per array.

import type { Gemm } from '../../engine/gemm';
import { EngineError, formatShape, nchw, tensor, transpose, type Tensor } from '../../engine/tensor';
import type { PackedWeights } from '../../engine/wasm/packed-weights';
import { uniformDrawOf } from '../../run/weights';
import { onlyInput, param } from '../kernel-util';
import type { KernelContext, LayerKernel } from '../kernel-types';
import type { LinearAttrs } from './def';

function rowsOf(x: Tensor, inFeatures: number): number {
  const last = x.shape[x.shape.length - 1];
  if (last !== inFeatures) throw new EngineError(`linear: input ${formatShape(x.shape)} does not end in ${inFeatures} features`);
  return x.data.length / inFeatures;
}

export function linearForward(x: Tensor, weight: Tensor, bias: Tensor | undefined, gemm: Gemm): Tensor {
  const [outF = 0, inF = 0] = weight.shape;
  const rows = rowsOf(x, inF);
  const y = tensor([...x.shape.slice(0, -1), outF]);
  gemm(rows, outF, inF, x.data, inF, transpose(weight.data, outF, inF), outF, y.data, outF, false);
  if (bias !== undefined) {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < outF; j++) y.data[r * outF + j] = y.data[r * outF + j]! + bias.data[j]!;
    }
  }
  return y;
}

/** The same on the WebAssembly GEMM, Wᵀ packed once per weight tensor as the right operand. */
export function linearForwardWasm(x: Tensor, weight: Tensor, bias: Tensor | undefined, packs: PackedWeights): Tensor {
  const [outF = 0, inF = 0] = weight.shape;
  const rows = rowsOf(x, inF);
  const y = tensor([...x.shape.slice(0, -1), outF]);
  const wasm = packs.gemm;
  const [packed] = packs.get(weight, 'linear', () => [wasm.packB(inF, outF, uniformDrawOf(weight) ?? weight.data, { transposed: true })]);
  wasm.sgemm(rows, outF, inF, x.data, packed!, y.data, bias === undefined ? {} : { columnBias: bias.data });
  return y;
}

/** TensorFlow's dense on an NCHW tensor: over the channels of every position, y_n = W · x_n + b. */
export function channelLinearForward(x: Tensor, weight: Tensor, bias: Tensor | undefined, ctx: KernelContext): Tensor {
  const [n, c, h, w] = nchw(x, 'linear');
  const [outF = 0, inF = 0] = weight.shape;
  if (c !== inF) throw new EngineError(`linear: input ${formatShape(x.shape)} does not have ${inF} channels`);
  const plane = h * w;
  const y = tensor([n, outF, h, w]);
  const packs = ctx.wasm;
  const packed = packs?.get(weight, 'linear over channels', () => [packs.gemm.packA(outF, inF, weight.data)])[0];
  for (let b = 0; b < n; b++) {
    const xb = x.data.subarray(b * inF * plane, (b + 1) * inF * plane);
    const yb = y.data.subarray(b * outF * plane, (b + 1) * outF * plane);
    if (packs !== undefined && packed !== undefined) {
      packs.gemm.sgemm(outF, plane, inF, packed, xb, yb, bias === undefined ? {} : { rowBias: bias.data });
      continue;
    }
    ctx.gemm(outF, plane, inF, weight.data, inF, xb, plane, yb, plane, false);
    if (bias !== undefined) {
      for (let o = 0; o < outF; o++) {
        const v = bias.data[o]!;
        for (let i = o * plane; i < (o + 1) * plane; i++) yb[i] = yb[i]! + v;
      }
    }
  }
  return y;
}

export function linearBackward(x: Tensor, weight: Tensor, dy: Tensor, gemm: Gemm): { dx: Tensor; dWeight: Tensor; dBias: Tensor } {
  const [outF = 0, inF = 0] = weight.shape;
  const rows = rowsOf(x, inF);
  const dx = tensor(x.shape);
  // dx (rows × in) = dy (rows × out) · W (out × in)
  gemm(rows, inF, outF, dy.data, outF, weight.data, inF, dx.data, inF, false);
  // dW (out × in) = dyᵀ (out × rows) · x (rows × in)
  const dWeight = tensor(weight.shape);
  gemm(outF, inF, rows, transpose(dy.data, rows, outF), rows, x.data, inF, dWeight.data, inF, false);
  const dBias = tensor([outF]);
  for (let j = 0; j < outF; j++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += dy.data[r * outF + j]!;
    dBias.data[j] = sum;
  }
  return { dx, dWeight, dBias };
}

export const linearKernel: LayerKernel<LinearAttrs> = {
  forward(layer, inputs, params, ctx) {
    const bias = layer.attrs.bias ? param(layer, params, 'bias') : undefined;
    const [x, weight] = [onlyInput(layer, inputs), param(layer, params, 'weight')];
    if (ctx.framework === 'tfjs' && x.shape.length === 4) return { output: channelLinearForward(x, weight, bias, ctx) };
    return { output: ctx.wasm ? linearForwardWasm(x, weight, bias, ctx.wasm) : linearForward(x, weight, bias, ctx.gemm) };
  },
  backward(layer, inputs, params, _forward, dy, ctx) {
    const g = linearBackward(onlyInput(layer, inputs), param(layer, params, 'weight'), dy, ctx.gemm);
    const out: Record<string, Tensor> = { weight: g.dWeight };
    if (layer.attrs.bias) out.bias = g.dBias;
    return { inputs: [g.dx], params: out };
  },
};
