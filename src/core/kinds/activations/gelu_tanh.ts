// GELU, tanh approximation (TensorFlow's gelu_new, torch.nn.GELU(approximate='tanh')):
// x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
import { elementwiseKernel, type Elementwise } from './elementwise';

const C = Math.sqrt(2 / Math.PI);
const A = 0.044715;

export const geluTanhOp: Elementwise = {
  f: (x) => 0.5 * x * (1 + Math.tanh(C * (x + A * x * x * x))),
  df: (x) => {
    const t = Math.tanh(C * (x + A * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * A * x * x);
  },
};

export const geluTanhKernel = elementwiseKernel(() => geluTanhOp);
