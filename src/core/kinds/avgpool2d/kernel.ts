// torch.nn.AvgPool2d. The divisor follows PyTorch exactly: with count_include_pad the window is
// first clipped to the padded bounds [−padBefore, input + padAfter) — a ceil_mode window hanging
// past them is not counted in full — otherwise only the taps inside the input count.

import type { GatherAxis, GatherGeometry } from '../../engine/window';
import { nchw, tensor, type Tensor } from '../../engine/tensor';
import { geometryOf, onlyInput } from '../kernel-util';
import { poolWindows, type PoolWindows } from '../maxpool2d/kernel';
import type { LayerKernel } from '../kernel-types';
import type { Avgpool2dAttrs } from './def';
import type { WindowAxis } from '../../geometry';

export type AvgAxis = GatherAxis & Pick<WindowAxis, 'padAfter'>;

export interface AvgGeometry extends GatherGeometry {
  h: AvgAxis;
  w: AvgAxis;
}

/** Per output index along one axis: the window length clipped to the padded bounds. */
function paddedLengths(axis: AvgAxis, windows: PoolWindows): Int32Array {
  const out = new Int32Array(axis.output);
  for (let o = 0; o < axis.output; o++) {
    const start = windows.start[o]!;
    const end = Math.min(start + axis.kernel, axis.input + axis.padAfter);
    out[o] = end - start;
  }
  return out;
}

interface AvgPlan {
  wh: PoolWindows;
  ww: PoolWindows;
  /** Divisor of each output element of one plane. */
  divisor: Float64Array;
}

function plan(g: AvgGeometry, countIncludePad: boolean): AvgPlan {
  const wh = poolWindows(g.h),
    ww = poolWindows(g.w);
  const ph = paddedLengths(g.h, wh),
    pw = paddedLengths(g.w, ww);
  const divisor = new Float64Array(g.h.output * g.w.output);
  for (let oh = 0; oh < g.h.output; oh++) {
    for (let ow = 0; ow < g.w.output; ow++) {
      divisor[oh * g.w.output + ow] = countIncludePad ? ph[oh]! * pw[ow]! : (wh.hi[oh]! - wh.lo[oh]!) * (ww.hi[ow]! - ww.lo[ow]!);
    }
  }
  return { wh, ww, divisor };
}

export function avgPool2dForward(x: Tensor, g: AvgGeometry, countIncludePad: boolean): Tensor {
  const [n, c, inH, inW] = nchw(x, 'avgpool2d');
  const outH = g.h.output,
    outW = g.w.output;
  const y = tensor([n, c, outH, outW]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  const { wh, ww, divisor } = plan(g, countIncludePad);
  const dh = g.h.dilation,
    dw = g.w.dilation;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = wh.start[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ww.start[ow]!;
        let sum = 0;
        for (let kh = wh.lo[oh]!; kh < wh.hi[oh]!; kh++) {
          const row = base + (h0 + kh * dh) * inW + w0;
          for (let kw = ww.lo[ow]!; kw < ww.hi[ow]!; kw++) sum += xd[row + kw * dw]!;
        }
        const d = divisor[oh * outW + ow]!;
        // PyTorch writes 0 for a window with no tap inside the input.
        yd[o++] = d > 0 && wh.hi[oh]! > wh.lo[oh]! && ww.hi[ow]! > ww.lo[ow]! ? sum / d : 0;
      }
    }
  }
  return y;
}

export function avgPool2dBackward(xShape: readonly number[], dy: Tensor, g: AvgGeometry, countIncludePad: boolean): Tensor {
  const dx = tensor(xShape);
  const [n, c, outH, outW] = nchw(dy, 'avgpool2d backward');
  const inH = xShape[2] ?? 0,
    inW = xShape[3] ?? 0;
  const { wh, ww, divisor } = plan(g, countIncludePad);
  const dh = g.h.dilation,
    dw = g.w.dilation;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = wh.start[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ww.start[ow]!;
        const d = divisor[oh * outW + ow]!;
        const share = d > 0 ? dy.data[o]! / d : 0;
        o++;
        for (let kh = wh.lo[oh]!; kh < wh.hi[oh]!; kh++) {
          const row = base + (h0 + kh * dh) * inW + w0;
          for (let kw = ww.lo[ow]!; kw < ww.hi[ow]!; kw++) {
            const i = row + kw * dw;
            dx.data[i] = dx.data[i]! + share;
          }
        }
      }
    }
  }
  return dx;
}

export const avgpool2dKernel: LayerKernel<Avgpool2dAttrs> = {
  forward(layer, inputs) {
    return { output: avgPool2dForward(onlyInput(layer, inputs), geometryOf(layer), layer.attrs.count_include_pad) };
  },
  backward(layer, inputs, _params, _forward, dy) {
    return {
      inputs: [avgPool2dBackward(onlyInput(layer, inputs).shape, dy, geometryOf(layer), layer.attrs.count_include_pad)],
      params: {},
    };
  },
};
