// torch.flatten(start_dim = 1, end_dim = −1): a reshape; the data is shared, not copied.
import { EngineError, formatShape, shapeSize, type Tensor } from '../tensor';
import { intAttr, onlyInput } from './attrs';
import type { LayerKernel } from './types';

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
  return { shape: [...shape], data: x.data };
}

export const flattenKernel: LayerKernel = {
  forward(layer, inputs) {
    const x = onlyInput(layer, inputs);
    return { output: reshape(x, flattenShape(x.shape, intAttr(layer, 'start_dim', 1), intAttr(layer, 'end_dim', -1))) };
  },
  backward(layer, inputs, _params, _forward, dy) {
    return { inputs: [reshape(dy, onlyInput(layer, inputs).shape)], params: {} };
  },
};
