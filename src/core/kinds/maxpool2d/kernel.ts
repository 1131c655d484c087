// torch.nn.MaxPool2d: padding counts as −∞ (only taps inside the input are read), ceil_mode
// windows are clipped to the input, NaN wins (PyTorch's `val > max || isnan(val)`), and the first
// maximum wins ties. The forward returns the argmax so the backward can route the gradient. On the
// WebAssembly backend the values come from the module (SIMD over output columns).

import { nchw, emptyTensor, tensor, type Tensor } from '../../engine/tensor';
import { tapsInside, windowStart, type GatherAxis, type GatherGeometry } from '../../engine/window';
import { geometryOf, onlyInput } from '../kernel-util';
import type { WasmGemm } from '../../engine/wasm/index';
import type { ForwardResult, LayerKernel } from '../kernel-types';

export interface PoolWindows {
  /** Per output index: first input coordinate of the window. */
  start: Int32Array;
  /** Per output index: the taps [lo, hi) inside the input. */
  lo: Int32Array;
  hi: Int32Array;
}

/** The window of every output position along one axis, read once from the geometry record. */
export function poolWindows(axis: GatherAxis): PoolWindows {
  const start = new Int32Array(axis.output);
  const lo = new Int32Array(axis.output);
  const hi = new Int32Array(axis.output);
  for (let o = 0; o < axis.output; o++) {
    start[o] = windowStart(axis, o);
    [lo[o], hi[o]] = tapsInside(axis, o);
  }
  return { start, lo, hi };
}

export interface MaxPoolResult {
  output: Tensor;
  /** Flat index ih·W + iw within the (n, c) plane, as PyTorch's return_indices. */
  indices: Int32Array;
}

export function maxPool2dForward(x: Tensor, g: GatherGeometry): MaxPoolResult {
  const [n, c, inH, inW] = nchw(x, 'maxpool2d');
  const outH = g.h.output,
    outW = g.w.output;
  const y = tensor([n, c, outH, outW]);
  const indices = new Int32Array(y.data.length);
  const wh = poolWindows(g.h),
    ww = poolWindows(g.w);
  const dh = g.h.dilation,
    dw = g.w.dilation;
  const xd = x.data,
    yd = y.data;
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = wh.start[oh]!,
        khLo = wh.lo[oh]!,
        khHi = wh.hi[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ww.start[ow]!,
          kwLo = ww.lo[ow]!,
          kwHi = ww.hi[ow]!;
        let best = -Infinity;
        let arg = (h0 + khLo * dh) * inW + (w0 + kwLo * dw);
        for (let kh = khLo; kh < khHi; kh++) {
          const row = (h0 + kh * dh) * inW;
          for (let kw = kwLo; kw < kwHi; kw++) {
            const i = row + w0 + kw * dw;
            const v = xd[base + i]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              arg = i;
            }
          }
        }
        yd[o] = best;
        indices[o] = arg;
        o++;
      }
    }
  }
  return { output: y, indices };
}

/** Routes each output gradient to the input position that was its max. */
export function maxPool2dBackward(xShape: readonly number[], indices: Int32Array, dy: Tensor): Tensor {
  const dx = tensor(xShape);
  const [n, c, outH, outW] = nchw(dy, 'maxpool2d backward');
  const inPlane = (xShape[2] ?? 0) * (xShape[3] ?? 0);
  const outPlane = outH * outW;
  for (let plane = 0; plane < n * c; plane++) {
    for (let j = plane * outPlane; j < (plane + 1) * outPlane; j++) {
      const i = plane * inPlane + indices[j]!;
      dx.data[i] = dx.data[i]! + dy.data[j]!;
    }
  }
  return dx;
}

/**
 * The WebAssembly backend's forward: the values from the module's SIMD loop; the argmax, which a
 * model run never reads, computed by the TypeScript loop only when `indices` is read.
 */
export function maxPool2dForwardWasm(x: Tensor, g: GatherGeometry, wasm: WasmGemm): ForwardResult {
  const [n, c] = nchw(x, 'maxpool2d');
  const y = emptyTensor([n, c, g.h.output, g.w.output]);
  wasm.maxPool2d(x.data, n * c, g, y.data);
  let indices: Int32Array | undefined;
  return {
    output: y,
    get indices() {
      indices ??= maxPool2dForward(x, g).indices;
      return indices;
    },
  };
}

export const maxpool2dKernel: LayerKernel = {
  forward(layer, inputs, _params, ctx) {
    const x = onlyInput(layer, inputs),
      g = geometryOf(layer);
    return ctx.wasm ? maxPool2dForwardWasm(x, g, ctx.wasm.gemm) : maxPool2dForward(x, g);
  },
  backward(layer, inputs, _params, forward, dy) {
    const x = onlyInput(layer, inputs);
    const indices = forward.indices ?? maxPool2dForward(x, geometryOf(layer)).indices;
    return { inputs: [maxPool2dBackward(x.shape, indices, dy)], params: {} };
  },
};
