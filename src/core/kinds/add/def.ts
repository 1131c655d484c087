// Elementwise sum of two or more inputs with PyTorch broadcasting (residual connections; a
// [N, C, 1, 1] term added to [N, C, H, W]).

import { defineKind, type KindAttrs } from '../types';
import { broadcastFacts, inferBroadcast } from '../broadcast';

export const add = defineKind({
  kind: 'add',
  torch: 'torch.add',
  doc: 'Elementwise sum of the `from` inputs (residual), with PyTorch broadcasting.',
  inputs: 'many',
  params: [],
  infer(ctx) {
    const outputShape = inferBroadcast(ctx, 'add');
    if (outputShape === undefined) return undefined;
    return { outputShape, params: 0n, macs: 0n, receptiveField: { type: 'preserve' }, facts: broadcastFacts(ctx, outputShape, '+') };
  },
});

export type AddAttrs = KindAttrs<typeof add>;
