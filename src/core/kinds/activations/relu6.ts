// torch.nn.ReLU6 = hardtanh(0, 6): gradient 1 strictly inside (0, 6).
import { elementwiseKernel, type Elementwise } from './elementwise';

export const relu6Op: Elementwise = {
  f: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
  df: (x) => (x > 0 && x < 6 ? 1 : 0),
  map(x, y) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      y[i] = v <= 0 ? 0 : v >= 6 ? 6 : v;
    }
  },
};

export const relu6Kernel = elementwiseKernel(() => relu6Op);
