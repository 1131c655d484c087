// torch.nn.ReLU; the gradient at 0 is 0, as PyTorch's threshold_backward gives.
import { elementwiseKernel, type Elementwise } from './elementwise';
import type { LayerKernel } from './types';

export const reluOp: Elementwise = {
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
  map(x, y) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      y[i] = v > 0 ? v : 0;
    }
  },
};

export const reluKernel: LayerKernel = { ...elementwiseKernel(() => reluOp), asEpilogue: () => ({ relu: true }) };
