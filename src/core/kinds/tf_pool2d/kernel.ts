// TensorFlow's maxPooling2d and averagePooling2d: 'valid' or 'same' (asymmetric, extra padding at
// the end), over the analysis' window geometry. Padding never wins a max in either framework, so
// PyTorch's max pooling is TensorFlow's too; TensorFlow's average is over the window's input
// elements only: PyTorch's count_include_pad = False divisor.
import { avgPool2dBackward, avgPool2dForward } from '../avgpool2d/kernel';
import { geometryOf, onlyInput } from '../kernel-util';
import type { LayerKernel } from '../kernel-types';
import { maxpool2dKernel } from '../maxpool2d/kernel';

export const tfMaxpool2dKernel: LayerKernel = maxpool2dKernel;

export const tfAvgpool2dKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: avgPool2dForward(onlyInput(layer, inputs), geometryOf(layer), false) };
  },
  backward(layer, inputs, _params, _forward, dy) {
    return { inputs: [avgPool2dBackward(onlyInput(layer, inputs).shape, dy, geometryOf(layer), false)], params: {} };
  },
};
