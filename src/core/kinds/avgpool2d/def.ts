// torch.nn.AvgPool2d: no parameters, keeps the channel count.

import { inferPool } from '../pool-common';
import { defineKind, type KindAttrs } from '../types';

export const avgpool2d = defineKind({
  kind: 'avgpool2d',
  torch: 'torch.nn.AvgPool2d',
  doc: 'Average pooling: no parameters, keeps the channel count.',
  inputs: 'one',
  params: [
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Window size k or [kh, kw].' },
    { name: 'stride', type: 'pair', min: 1, defaultText: 'kernel_size', doc: 'Step between windows (default: kernel_size).' },
    { name: 'padding', type: 'pool-padding', default: 0, min: 0, doc: 'Implicit zero padding per side; at most kernel_size / 2.' },
    {
      name: 'ceil_mode',
      type: 'bool',
      default: false,
      doc: 'Round the output size up (PyTorch drops a last window that would start in the right padding).',
    },
    { name: 'count_include_pad', type: 'bool', default: true, doc: 'Count the zero padding in the average’s divisor.' },
  ],
  infer: (ctx) => inferPool(ctx, false),
});

export type Avgpool2dAttrs = KindAttrs<typeof avgpool2d>;
