// torch.nn.AdaptiveMaxPool2d: the max over `adaptiveWindow`'s windows, with max pooling's NaN rule.

import { adaptiveWindow } from '../../geometry';
import { nchw, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput, outputShapeOf } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export function adaptiveMaxPool2dForward(x: Tensor, outH: number, outW: number): { output: Tensor; indices: Int32Array } {
  const [n, c, inH, inW] = nchw(x, 'adaptive_maxpool2d');
  const y = tensor([n, c, outH, outW]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  const indices = new Int32Array(y.data.length);
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = adaptiveWindow(oh, inH, outH);
      for (let ow = 0; ow < outW; ow++) {
        const [w0, w1] = adaptiveWindow(ow, inW, outW);
        let best = -Infinity;
        let arg = h0 * inW + w0;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const v = xd[base + ih * inW + iw]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              arg = ih * inW + iw;
            }
          }
        }
        yd[o] = best;
        indices[o++] = arg;
      }
    }
  }
  return { output: y, indices };
}

export const adaptiveMaxpool2dKernel: LayerKernel = {
  forward(layer, inputs) {
    const shape = outputShapeOf(layer);
    return adaptiveMaxPool2dForward(onlyInput(layer, inputs), shape[2] ?? 1, shape[3] ?? 1);
  },
};
