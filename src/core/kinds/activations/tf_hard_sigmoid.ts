// TensorFlow's hard sigmoid: clip(0.2·x + 0.5, 0, 1) (not PyTorch's relu6(x + 3) / 6).
import { elementwiseKernel, type Elementwise } from './elementwise';

export const tfHardSigmoidOp: Elementwise = {
  f: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
};

export const tfHardSigmoidKernel = elementwiseKernel(() => tfHardSigmoidOp);
