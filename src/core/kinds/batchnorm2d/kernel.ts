// torch.nn.BatchNorm2d in inference mode (eval()): y = (x − running_mean) / √(running_var + eps)
// · weight + bias, per channel. The backward is that of this affine map (running stats are fixed).

import { nchw, emptyTensor, tensor, type Tensor } from '../../engine/tensor';
import { inputShapeOf, onlyInput, param } from '../kernel-util';
import type { WasmGemm } from '../../engine/wasm/index';
import type { KindLayer, LayerKernel, Params } from '../kernel-types';
import type { Batchnorm2dAttrs } from './def';

export interface BatchNormParams {
  weight: Tensor;
  bias: Tensor;
  runningMean: Tensor;
  runningVar: Tensor;
  eps: number;
}

/** Per channel: y = x·scale + shift. Computed in double precision, like PyTorch's CPU kernel. */
function affine(p: BatchNormParams, c: number): { scale: Float64Array; shift: Float64Array; invStd: Float64Array } {
  const scale = new Float64Array(c),
    shift = new Float64Array(c),
    invStd = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    invStd[ch] = 1 / Math.sqrt(p.runningVar.data[ch]! + p.eps);
    scale[ch] = p.weight.data[ch]! * invStd[ch]!;
    shift[ch] = p.bias.data[ch]! - p.runningMean.data[ch]! * scale[ch]!;
  }
  return { scale, shift, invStd };
}

export function batchNorm2dForward(x: Tensor, p: BatchNormParams): Tensor {
  const [n, c, h, w] = nchw(x, 'batchnorm2d');
  const { scale, shift } = affine(p, c);
  const y = emptyTensor(x.shape);
  const xd = x.data,
    yd = y.data;
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const s = scale[ch]!,
        t = shift[ch]!;
      const start = (b * c + ch) * plane,
        end = start + plane;
      for (let i = start; i < end; i++) yd[i] = xd[i]! * s + t;
    }
  }
  return y;
}

/** The same on the module's SIMD loop, with scale and shift rounded to float32 (as PyTorch's own CPU kernel keeps them). */
export function batchNorm2dForwardWasm(x: Tensor, p: BatchNormParams, wasm: WasmGemm): Tensor {
  const [n, c, h, w] = nchw(x, 'batchnorm2d');
  const { scale, shift } = affine(p, c);
  const y = emptyTensor(x.shape);
  wasm.channelAffine(x.data, n * c, h * w, Float32Array.from(scale), Float32Array.from(shift), y.data);
  return y;
}

export function batchNorm2dBackward(x: Tensor, dy: Tensor, p: BatchNormParams): { dx: Tensor; dWeight: Tensor; dBias: Tensor } {
  const [n, c, h, w] = nchw(x, 'batchnorm2d backward');
  const { scale, invStd } = affine(p, c);
  const dx = tensor(x.shape),
    dWeight = tensor([c]),
    dBias = tensor([c]);
  const plane = h * w;
  for (let ch = 0; ch < c; ch++) {
    const s = scale[ch]!,
      mean = p.runningMean.data[ch]!,
      inv = invStd[ch]!;
    let sumDy = 0,
      sumDyXhat = 0;
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * plane;
      for (let i = start; i < start + plane; i++) {
        const g = dy.data[i]!;
        dx.data[i] = g * s;
        sumDy += g;
        sumDyXhat += g * (x.data[i]! - mean) * inv;
      }
    }
    dWeight.data[ch] = sumDyXhat;
    dBias.data[ch] = sumDy;
  }
  return { dx, dWeight, dBias };
}

function batchNormParams(layer: KindLayer<Batchnorm2dAttrs>, params: Params): BatchNormParams {
  // affine: false has no weight or bias: the identity scale and shift.
  const c = inputShapeOf(layer)[1] ?? 0;
  const { affine, eps } = layer.attrs;
  return {
    weight: affine ? param(layer, params, 'weight') : tensor([c], new Float32Array(c).fill(1)),
    bias: affine ? param(layer, params, 'bias') : tensor([c]),
    runningMean: param(layer, params, 'running_mean'),
    runningVar: param(layer, params, 'running_var'),
    eps,
  };
}

export const batchnorm2dKernel: LayerKernel<Batchnorm2dAttrs> = {
  forward(layer, inputs, params, ctx) {
    const [x, p] = [onlyInput(layer, inputs), batchNormParams(layer, params)];
    return { output: ctx.wasm ? batchNorm2dForwardWasm(x, p, ctx.wasm.gemm) : batchNorm2dForward(x, p) };
  },
  asEpilogue(layer, params) {
    const p = batchNormParams(layer, params);
    const { scale, shift } = affine(p, p.runningMean.data.length);
    // Without affine the weight and bias are made afresh per call: only the statistics identify it.
    const stats = [p.runningMean.data, p.runningVar.data];
    return { affine: { scale, shift, sources: layer.attrs.affine ? [p.weight.data, p.bias.data, ...stats] : stats } };
  },
  backward(layer, inputs, params, _forward, dy) {
    const g = batchNorm2dBackward(onlyInput(layer, inputs), dy, batchNormParams(layer, params));
    const grads: Record<string, Tensor> = layer.attrs.affine ? { weight: g.dWeight, bias: g.dBias } : {};
    return { inputs: [g.dx], params: grads };
  },
};
