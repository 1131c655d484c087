// TensorFlow's batchNormalization in inference mode: y = (x − moving_mean) / √(moving_variance +
// eps) · gamma + beta on the channel axis, which is axis 1 of a 4-D tensor here (NCHW) and the
// last axis otherwise. gamma and beta exist only with scale / center; eps defaults to 1e-3.
// The parameters keep TensorFlow's weight names.

import { EngineError, formatShape, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput, param } from '../kernel-util';
import type { KindLayer, LayerKernel, Params } from '../kernel-types';
import type { TfBatchnormAttrs } from './def';

function channelAxis(shape: readonly number[]): number {
  return shape.length === 4 ? 1 : shape.length - 1;
}

export function tfBatchNormForward(x: Tensor, layer: KindLayer<TfBatchnormAttrs>, params: Params): Tensor {
  const axis = channelAxis(x.shape);
  if (x.shape.length < 2) throw new EngineError(`tf_batchnorm: input ${formatShape(x.shape)} has no channel axis`);
  const c = x.shape[axis]!;
  // Elements between two consecutive channels' values, and the run length of one channel.
  let inner = 1;
  for (let i = axis + 1; i < x.shape.length; i++) inner *= x.shape[i]!;
  const gamma = layer.attrs.scale ? param(layer, params, 'gamma').data : undefined;
  const beta = layer.attrs.center ? param(layer, params, 'beta').data : undefined;
  const mean = param(layer, params, 'moving_mean').data;
  const variance = param(layer, params, 'moving_variance').data;
  const eps = layer.attrs.eps;
  const scale = new Float64Array(c),
    shift = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    scale[ch] = (gamma?.[ch] ?? 1) / Math.sqrt(variance[ch]! + eps);
    shift[ch] = (beta?.[ch] ?? 0) - mean[ch]! * scale[ch]!;
  }
  const y = tensor(x.shape);
  const xd = x.data,
    yd = y.data;
  for (let start = 0, ch = 0; start < xd.length; start += inner, ch = ch + 1 === c ? 0 : ch + 1) {
    const s = scale[ch]!,
      t = shift[ch]!;
    for (let i = start; i < start + inner; i++) yd[i] = xd[i]! * s + t;
  }
  return y;
}

export const tfBatchnormKernel: LayerKernel<TfBatchnormAttrs> = {
  forward(layer, inputs, params) {
    return { output: tfBatchNormForward(onlyInput(layer, inputs), layer, params) };
  },
};
