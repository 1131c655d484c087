// torch.nn.Hardsigmoid: relu6(x + 3)/6; gradient 1/6 strictly inside (−3, 3).
import { elementwiseKernel, type Elementwise } from './elementwise';

export const hardsigmoidOp: Elementwise = {
  f: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
  df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
};

export const hardsigmoidKernel = elementwiseKernel(() => hardsigmoidOp);
