// TensorFlow's averagePooling2d: 'valid' or 'same' (asymmetric, extra padding at the end), and the
// average over the window's input elements only: PyTorch's count_include_pad = False divisor.
import { avgPool2dBackward, avgPool2dForward } from '../avgpool2d/kernel';
import { geometryOf, onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';

export const tfAvgpool2dKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: avgPool2dForward(onlyInput(layer, inputs), geometryOf(layer), false) };
  },
  backward(layer, inputs, _params, _forward, dy) {
    return { inputs: [avgPool2dBackward(onlyInput(layer, inputs).shape, dy, geometryOf(layer), false)], params: {} };
  },
};
