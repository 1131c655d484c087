// torch.nn.MaxPool2d: no parameters, keeps the channel count; backward routes through the argmax.

import { inferPool } from '../pool-common';
import { defineKind, type KindAttrs } from '../types';

export const maxpool2d = defineKind({
  kind: 'maxpool2d',
  torch: 'torch.nn.MaxPool2d',
  doc: 'Max pooling: no parameters, keeps the channel count.',
  inputs: 'one',
  params: [
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Window size k or [kh, kw].' },
    { name: 'stride', type: 'pair', min: 1, defaultText: 'kernel_size', doc: 'Step between windows (default: kernel_size).' },
    { name: 'padding', type: 'pool-padding', default: 0, min: 0, doc: 'Implicit −∞ padding per side; at most kernel_size / 2.' },
    { name: 'dilation', type: 'pair', default: 1, min: 1, doc: 'Spacing between window taps.' },
    {
      name: 'ceil_mode',
      type: 'bool',
      default: false,
      doc: 'Round the output size up (PyTorch drops a last window that would start in the right padding).',
    },
  ],
  infer: (ctx) => inferPool(ctx, true),
});

export type Maxpool2dAttrs = KindAttrs<typeof maxpool2d>;
