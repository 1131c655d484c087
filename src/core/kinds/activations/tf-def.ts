// Elementwise activations TensorFlow.js offers beyond the PyTorch set in ./activations.ts (shape-
// preserving, no parameters, no MACs), so a TensorFlow model maps every activation to a kind that
// computes the same function.

import { activation } from './def';

export const tfActivations = [
  activation('elu', 'torch.nn.ELU', 'x for x > 0, alpha·(e^x − 1) otherwise.', [{ name: 'alpha', type: 'number', default: 1, doc: 'Scale of the negative part.' }]),
  activation('selu', 'torch.nn.SELU', 'Scaled ELU with the self-normalizing constants.'),
  activation('softmax', 'torch.nn.Softmax', 'Exponentials normalized to sum 1 over the channel (last TensorFlow) axis.'),
  activation('log_softmax', 'torch.nn.LogSoftmax', 'Logarithm of softmax.'),
  activation('softplus', 'torch.nn.Softplus', 'log(1 + e^x).'),
  activation('softsign', 'torch.nn.Softsign', 'x / (1 + |x|).'),
  activation('mish', 'torch.nn.Mish', 'x·tanh(softplus(x)).'),
  activation('gelu_tanh', "torch.nn.GELU(approximate='tanh')", 'GELU, tanh approximation (TensorFlow gelu_new).'),
  activation('tf_hard_sigmoid', '(TensorFlow) hardSigmoid', 'clip(0.2·x + 0.5, 0, 1): TensorFlow’s hard sigmoid, not PyTorch’s relu6(x + 3) / 6.', [], ['tfjs']),
  activation('identity', 'torch.nn.Identity', 'Passes the input through unchanged (TensorFlow linear activation).'),
] as const;
