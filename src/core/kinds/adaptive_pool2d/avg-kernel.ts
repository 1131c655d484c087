// torch.nn.AdaptiveAvgPool2d: output i averages input [floor(i·H/O), ceil((i+1)·H/O)), the
// windows `adaptiveWindow` in ../../geometry.ts gives. The output size is the analyzer's.

import { adaptiveWindow } from '../../geometry';
import { nchw, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput, outputShapeOf } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export function adaptiveAvgPool2dForward(x: Tensor, outH: number, outW: number): Tensor {
  const [n, c, inH, inW] = nchw(x, 'adaptive_avgpool2d');
  const y = tensor([n, c, outH, outW]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = adaptiveWindow(oh, inH, outH);
      for (let ow = 0; ow < outW; ow++) {
        const [w0, w1] = adaptiveWindow(ow, inW, outW);
        let sum = 0;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) sum += xd[base + ih * inW + iw]!;
        }
        yd[o++] = sum / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return y;
}

export const adaptiveAvgpool2dKernel: LayerKernel = {
  forward(layer, inputs) {
    const shape = outputShapeOf(layer);
    return { output: adaptiveAvgPool2dForward(onlyInput(layer, inputs), shape[2] ?? 1, shape[3] ?? 1) };
  },
};
