// torch.nn.Dropout: identity at inference, shape-preserving.

import { defineKind, type KindAttrs } from '../types';

export const dropout = defineKind({
  kind: 'dropout',
  torch: 'torch.nn.Dropout',
  doc: 'Zeroes elements with probability p in training; identity at inference.',
  inputs: 'one',
  params: [{ name: 'p', type: 'number', default: 0.5, range: [0, 1], doc: 'Drop probability, in [0, 1].' }],
  infer: (ctx) => ({ outputShape: [...ctx.inputShapes[0]!], params: 0n, macs: 0n, receptiveField: { type: 'preserve' } }),
});

export type DropoutAttrs = KindAttrs<typeof dropout>;
