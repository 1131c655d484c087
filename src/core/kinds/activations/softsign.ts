// Softsign: x / (1 + |x|).
import { elementwiseKernel, type Elementwise } from './elementwise';

export const softsignOp: Elementwise = {
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
};

export const softsignKernel = elementwiseKernel(() => softsignOp);
