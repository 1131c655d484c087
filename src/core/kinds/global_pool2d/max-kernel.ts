// Global max pooling: [N, C, H, W] → [N, C], the max of each plane (NaN wins, as in max pooling).
import { nchw, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export function globalMaxPool2dForward(x: Tensor): Tensor {
  const [n, c, h, w] = nchw(x, 'global_maxpool2d');
  const plane = h * w;
  const y = tensor([n, c]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  for (let p = 0; p < n * c; p++) {
    let best = -Infinity;
    for (let i = p * plane; i < (p + 1) * plane; i++) {
      const v = xd[i]!;
      if (v > best || Number.isNaN(v)) best = v;
      if (Number.isNaN(best)) break;
    }
    yd[p] = best;
  }
  return y;
}

export const globalMaxpool2dKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: globalMaxPool2dForward(onlyInput(layer, inputs)) };
  },
};
