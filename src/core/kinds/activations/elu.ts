// ELU: x for x > 0, alpha·(eˣ − 1) otherwise (TensorFlow's elu layer and activation, torch.nn.ELU).
import { numberAttr } from '../kernel-util';
import { elementwiseKernel, type Elementwise } from './elementwise';

export function eluOp(alpha: number): Elementwise {
  return {
    f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    df: (x, y) => (x > 0 ? 1 : y + alpha),
  };
}

export const eluKernel = elementwiseKernel((layer) => eluOp(numberAttr(layer, 'alpha', 1)));
