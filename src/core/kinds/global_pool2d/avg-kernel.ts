// Global average pooling: [N, C, H, W] → [N, C], the mean of each plane (summed in double).
import { nchw, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export function globalAvgPool2dForward(x: Tensor): Tensor {
  const [n, c, h, w] = nchw(x, 'global_avgpool2d');
  const plane = h * w;
  const y = tensor([n, c]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  for (let p = 0; p < n * c; p++) {
    let sum = 0;
    for (let i = p * plane; i < (p + 1) * plane; i++) sum += xd[i]!;
    yd[p] = sum / plane;
  }
  return y;
}

export const globalAvgpool2dKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: globalAvgPool2dForward(onlyInput(layer, inputs)) };
  },
};
