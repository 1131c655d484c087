// Identity (TensorFlow's linear activation as a layer): the output shares the input's buffer.
import { onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export const identityKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: onlyInput(layer, inputs) };
  },
  backward(_layer, _inputs, _params, _forward, dy) {
    return { inputs: [dy], params: {} };
  },
};
