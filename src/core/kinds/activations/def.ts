// Elementwise activations: shape-preserving, no parameters, no MACs. They differ only in name and
// documentation, so they share one definition here instead of nine identical files.

import type { Framework } from '../../types';
import { defineKind, type ParamSchema } from '../types';

/** An activation kind (also the TensorFlow ones of ./tf-def.ts). */
export function activation<const K extends string, const S extends readonly ParamSchema[] = readonly []>(
  kind: K,
  torch: string,
  doc: string,
  params: S = [] as readonly ParamSchema[] as S,
  frameworks?: readonly Framework[],
) {
  return defineKind({
    kind,
    torch,
    doc,
    ...(frameworks ? { frameworks } : {}),
    inputs: 'one',
    params,
    infer: (ctx) => ({ outputShape: [...ctx.inputShapes[0]!], params: 0n, macs: 0n, receptiveField: { type: 'preserve' } }),
  });
}

export const activations = [
  activation('relu', 'torch.nn.ReLU', 'max(0, x).'),
  activation('relu6', 'torch.nn.ReLU6', 'min(max(0, x), 6).'),
  activation('leaky_relu', 'torch.nn.LeakyReLU', 'x for x ≥ 0, negative_slope·x otherwise.', [
    { name: 'negative_slope', type: 'number', default: 0.01, doc: 'Slope for negative inputs.' },
  ]),
  activation('sigmoid', 'torch.nn.Sigmoid', '1 / (1 + e^−x).'),
  activation('tanh', 'torch.nn.Tanh', 'Hyperbolic tangent.'),
  activation('gelu', 'torch.nn.GELU', 'x·Φ(x) (exact erf form).'),
  activation('silu', 'torch.nn.SiLU', 'x·sigmoid(x) (swish).'),
  activation('hardswish', 'torch.nn.Hardswish', 'x·relu6(x + 3) / 6.'),
  activation('hardsigmoid', 'torch.nn.Hardsigmoid', 'relu6(x + 3) / 6.'),
] as const;

// Elementwise activations TensorFlow.js offers beyond the PyTorch set in ./activations.ts (shape-
// preserving, no parameters, no MACs), so a TensorFlow model maps every activation to a kind that
// computes the same function.
export const tfActivations = [
  activation('elu', 'torch.nn.ELU', 'x for x > 0, alpha·(e^x − 1) otherwise.', [
    { name: 'alpha', type: 'number', default: 1, doc: 'Scale of the negative part.' },
  ]),
  activation('selu', 'torch.nn.SELU', 'Scaled ELU with the self-normalizing constants.'),
  activation('softmax', 'torch.nn.Softmax', 'Exponentials normalized to sum 1 over the channel (last TensorFlow) axis.'),
  activation('log_softmax', 'torch.nn.LogSoftmax', 'Logarithm of softmax.'),
  activation('softplus', 'torch.nn.Softplus', 'log(1 + e^x).'),
  activation('softsign', 'torch.nn.Softsign', 'x / (1 + |x|).'),
  activation('mish', 'torch.nn.Mish', 'x·tanh(softplus(x)).'),
  activation('gelu_tanh', "torch.nn.GELU(approximate='tanh')", 'GELU, tanh approximation (TensorFlow gelu_new).'),
  activation(
    'tf_hard_sigmoid',
    '(TensorFlow) hardSigmoid',
    'clip(0.2·x + 0.5, 0, 1): TensorFlow’s hard sigmoid, not PyTorch’s relu6(x + 3) / 6.',
    [],
    ['tfjs'],
  ),
  activation('identity', 'torch.nn.Identity', 'Passes the input through unchanged (TensorFlow linear activation).'),
] as const;
