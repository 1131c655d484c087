// ELU: x for x > 0, alpha·(eˣ − 1) otherwise (TensorFlow's elu layer and activation, torch.nn.ELU).
import type { KindAttrs } from '../types';
import type { tfActivations } from './tf-def';
import { elementwiseKernel, type Elementwise } from './elementwise';

export function eluOp(alpha: number): Elementwise {
  return {
    f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    df: (x, y) => (x > 0 ? 1 : y + alpha),
  };
}

export const eluKernel = elementwiseKernel<KindAttrs<(typeof tfActivations)[0]>>((layer) => eluOp(layer.attrs.alpha));
