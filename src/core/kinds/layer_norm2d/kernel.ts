// LayerNorm2d: y[n,c,h,w] = (x − mean) / sqrt(var + eps) · weight[c] + bias[c], the mean and the
// biased variance over c at each (n, h, w), accumulated in double precision.
import { emptyTensor, EngineError, type Tensor } from '../../engine/tensor';
import { param } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';
import type { LayerNorm2dAttrs } from './def';

export function layerNorm2dForward(x: Tensor, eps: number, weight?: Float32Array, bias?: Float32Array): Tensor {
  if (x.shape.length !== 4) throw new EngineError(`layer_norm2d needs a 4-D input, got [${x.shape.join(', ')}]`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const plane = h * w;
  const y = emptyTensor(x.shape);
  for (let b = 0; b < n; b++) {
    const base = b * c * plane;
    for (let p = 0; p < plane; p++) {
      let mean = 0;
      for (let ch = 0; ch < c; ch++) mean += x.data[base + ch * plane + p]!;
      mean /= c;
      let variance = 0;
      for (let ch = 0; ch < c; ch++) {
        const d = x.data[base + ch * plane + p]! - mean;
        variance += d * d;
      }
      const inv = 1 / Math.sqrt(variance / c + eps);
      for (let ch = 0; ch < c; ch++) {
        const at = base + ch * plane + p;
        y.data[at] = (x.data[at]! - mean) * inv * (weight?.[ch] ?? 1) + (bias?.[ch] ?? 0);
      }
    }
  }
  return y;
}

export const layerNorm2dKernel: LayerKernel<LayerNorm2dAttrs> = {
  forward(layer, inputs, params) {
    const affine = layer.attrs.elementwise_affine;
    const weight = affine ? param(layer, params, 'weight').data : undefined;
    const bias = affine ? param(layer, params, 'bias').data : undefined;
    return { output: layerNorm2dForward(inputs[0]!, layer.attrs.eps, weight, bias) };
  },
};
