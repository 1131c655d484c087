// Shared by the shape-preserving activation kinds: each kind's file gives f(x) and f'(x) (which
// may use y = f(x)); this applies them element by element, forward and backward.

import { emptyTensor, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { KindLayer, LayerKernel } from '../kernel-types';

export interface Elementwise {
  f(x: number): number;
  /** dy/dx at x, where y = f(x); PyTorch's choice at the kinks. */
  df(x: number, y: number): number;
  /**
   * y[i] = f(x[i]) as one loop of its own, for the activations on every block of a network: the
   * shared loop below calls `f` through a call site that sees every activation, which V8 cannot
   * inline (several times slower on ResNet-sized tensors).
   */
  map?(x: Float32Array, y: Float32Array): void;
}

export function mapTensor(x: Tensor, f: (v: number) => number): Tensor {
  const y = tensor(x.shape);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = f(xd[i]!);
  return y;
}

export function elementwiseBackward(x: Tensor, y: Tensor, dy: Tensor, op: Elementwise): Tensor {
  const dx = tensor(x.shape);
  for (let i = 0; i < x.data.length; i++) dx.data[i] = dy.data[i]! * op.df(x.data[i]!, y.data[i]!);
  return dx;
}

/** A kernel from an operation, which may depend on the layer's attributes (leaky_relu's slope). */
export function elementwiseKernel<A>(opFor: (layer: KindLayer<A>) => Elementwise): LayerKernel<A> {
  return {
    forward(layer, inputs) {
      const x = onlyInput(layer, inputs);
      const op = opFor(layer);
      if (op.map === undefined) return { output: mapTensor(x, op.f) };
      const y = emptyTensor(x.shape);
      op.map(x.data, y.data);
      return { output: y };
    },
    backward(layer, inputs, _params, forward, dy) {
      return { inputs: [elementwiseBackward(onlyInput(layer, inputs), forward.output, dy, opFor(layer))], params: {} };
    },
  };
}

/** erf with relative error below 1.2e-7 (Numerical Recipes' erfc, Chebyshev fit), enough for float32. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc : erfc - 1;
}
