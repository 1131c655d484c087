// Softmax over the channel axis: axis 1 of a 4-D tensor (NCHW here, TensorFlow's last axis in
// NHWC), the last axis otherwise, and its logarithm (log_softmax: x − max − log Σ e^(x − max)).
// The max is subtracted first so no exponential overflows.
import { tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

/** Calls `each(start, stride, count)` for every line of the tensor along the channel axis. */
export function forEachChannelLine(shape: readonly number[], each: (start: number, stride: number, count: number) => void): void {
  const axis = shape.length === 4 ? 1 : shape.length - 1;
  const count = shape[axis] ?? 1;
  let inner = 1,
    outer = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) each(o * count * inner + i, inner, count);
  }
}

/** Softmax, or its logarithm, of every channel line. */
export function softmaxForward(x: Tensor, log: boolean): Tensor {
  const y = tensor(x.shape);
  const xd = x.data,
    yd = y.data;
  forEachChannelLine(x.shape, (start, stride, count) => {
    const end = start + stride * count;
    let max = -Infinity;
    for (let i = start; i < end; i += stride) max = Math.max(max, xd[i]!);
    let sum = 0;
    for (let i = start; i < end; i += stride) sum += Math.exp(xd[i]! - max);
    if (log) {
      const logSum = Math.log(sum);
      for (let i = start; i < end; i += stride) yd[i] = xd[i]! - max - logSum;
    } else {
      for (let i = start; i < end; i += stride) yd[i] = Math.exp(xd[i]! - max) / sum;
    }
  });
  return y;
}

export const softmaxKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: softmaxForward(onlyInput(layer, inputs), false) };
  },
};

export const logSoftmaxKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: softmaxForward(onlyInput(layer, inputs), true) };
  },
};
