// Zero padding of H and W, per side (the analysis derives top, bottom, left and right).
import { nchw, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';
import type { ZeroPadding2dAttrs } from './def';

export interface Padding2d {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export function zeroPadding2dForward(x: Tensor, p: Padding2d): Tensor {
  const [n, c, h, w] = nchw(x, 'zero_padding2d');
  const outH = h + p.top + p.bottom,
    outW = w + p.left + p.right;
  const y = tensor([n, c, outH, outW]);
  for (let plane = 0; plane < n * c; plane++) {
    for (let row = 0; row < h; row++) {
      const src = (plane * h + row) * w;
      y.data.set(x.data.subarray(src, src + w), (plane * outH + row + p.top) * outW + p.left);
    }
  }
  return y;
}

export const zeroPadding2dKernel: LayerKernel<ZeroPadding2dAttrs> = {
  forward(layer, inputs) {
    // The analysis derived all four sides (written ones override padding).
    return { output: zeroPadding2dForward(onlyInput(layer, inputs), layer.attrs) };
  },
};
