// SELU: scale·x for x > 0, scale·alpha·(eˣ − 1) otherwise, with the self-normalizing constants
// of Klambauer et al. (the values TensorFlow and PyTorch both use).
import { elementwiseKernel, type Elementwise } from './elementwise';

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export const seluOp: Elementwise = {
  f: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
  df: (x, y) => (x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
};

export const seluKernel = elementwiseKernel(() => seluOp);
