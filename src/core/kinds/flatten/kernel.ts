// torch.flatten(start_dim = 1, end_dim = −1): a reshape; the data is shared, not copied.
// TensorFlow's Flatten reads its NHWC tensor in (h, w, c) order; the engine holds the same tensor
// as NCHW, so for a TensorFlow model a 4-D input is transposed to channels-last while flattening.
import { EngineError, formatShape, nchw, shapeSize, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { KernelContext, LayerKernel } from '../kernel-types';
import type { FlattenAttrs } from './def';

/** The shape torch.flatten gives; negative dims count from the end. */
export function flattenShape(shape: readonly number[], startDim: number, endDim: number): number[] {
  const rank = shape.length;
  const start = startDim < 0 ? startDim + rank : startDim;
  const end = endDim < 0 ? endDim + rank : endDim;
  if (start < 0 || end >= rank || start > end) {
    throw new EngineError(`flatten: dims ${startDim}..${endDim} do not fit shape ${formatShape(shape)}`);
  }
  return [...shape.slice(0, start), shapeSize(shape.slice(start, end + 1)), ...shape.slice(end + 1)];
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (shapeSize(shape) !== x.data.length) throw new EngineError(`cannot reshape ${formatShape(x.shape)} to ${formatShape(shape)}`);
  return tensor(shape, x.data);
}

/** [N, C, H, W] → [N, H·W·C] in TensorFlow's order, or back (`inverse`, from [N, H·W·C] to `shape`). */
export function channelsLastFlatten(x: Tensor, shape: readonly number[], inverse = false): Tensor {
  const [n, c, h, w] = nchw({ shape, data: x.data }, 'flatten');
  const plane = h * w;
  const y = tensor(inverse ? shape : [n, plane * c]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  for (let b = 0; b < n; b++) {
    const base = b * c * plane;
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < plane; p++) {
        const nchwIndex = base + ch * plane + p,
          nhwcIndex = base + p * c + ch;
        if (inverse) yd[nchwIndex] = xd[nhwcIndex]!;
        else yd[nhwcIndex] = xd[nchwIndex]!;
      }
    }
  }
  return y;
}

function channelsLast(x: Tensor, ctx: KernelContext): boolean {
  return ctx.framework === 'tfjs' && x.shape.length === 4;
}

export const flattenKernel: LayerKernel<FlattenAttrs> = {
  forward(layer, inputs, _params, ctx) {
    const x = onlyInput(layer, inputs);
    if (channelsLast(x, ctx)) return { output: channelsLastFlatten(x, x.shape) };
    return { output: reshape(x, flattenShape(x.shape, layer.attrs.start_dim, layer.attrs.end_dim)) };
  },
  backward(layer, inputs, _params, _forward, dy, ctx) {
    const x = onlyInput(layer, inputs);
    if (channelsLast(x, ctx)) return { inputs: [channelsLastFlatten(dy, x.shape, true)], params: {} };
    return { inputs: [reshape(dy, x.shape)], params: {} };
  },
};
