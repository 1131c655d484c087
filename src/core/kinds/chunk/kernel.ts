// chunk and split: the layer's tensor is its input (the parts side by side); a reader of `name.k`
// gets its part through `takeSlice`, which the runner applies to the inputs a layer names so.
import { emptyTensor, EngineError, type Tensor } from '../../engine/tensor';
import type { InputSlice } from '../../analyze/analysis-types';
import type { LayerKernel } from '../kernel-types';

/** Elements [start, start + size) along `dim` of `x`, as a new tensor. */
export function takeSlice(x: Tensor, slice: Pick<InputSlice, 'dim' | 'start' | 'size'>): Tensor {
  const { dim, start, size } = slice;
  const n = x.shape[dim];
  if (n === undefined || start < 0 || start + size > n)
    throw new EngineError(`slice [${start}, ${start + size}) of dim ${dim} is outside a tensor of shape [${x.shape.join(', ')}]`);
  let outer = 1;
  for (let k = 0; k < dim; k++) outer *= x.shape[k]!;
  let inner = 1;
  for (let k = dim + 1; k < x.shape.length; k++) inner *= x.shape[k]!;
  const shape = x.shape.map((d, k) => (k === dim ? size : d));
  const y = emptyTensor(shape);
  for (let o = 0; o < outer; o++) y.data.set(x.data.subarray((o * n + start) * inner, (o * n + start + size) * inner), o * size * inner);
  return y;
}

/** The whole: a copy of the input (readers take their parts from it). */
function copy(x: Tensor): Tensor {
  const y = emptyTensor(x.shape);
  y.data.set(x.data);
  return y;
}

export const partsKernel: LayerKernel = {
  forward(_layer, inputs) {
    return { output: copy(inputs[0]!) };
  },
};
