// torch.nn.Dropout in inference mode: the identity (the output shares the input's buffer).
import { onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export const dropoutKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: onlyInput(layer, inputs) };
  },
  backward(_layer, _inputs, _params, _forward, dy) {
    return { inputs: [dy], params: {} };
  },
};
