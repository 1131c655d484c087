// torch.split with an int: parts of `split_size` along `dim`, the last smaller; `from: name.k`
// takes part k.

import { defineKind, type KindAttrs } from '../types';
import { inferParts, splitSizes } from '../chunk/parts';

export const split = defineKind({
  kind: 'split',
  torch: 'torch.split',
  doc: 'Splits the input into parts of split_size along dim (the last smaller); `from: name.k` takes part k.',
  inputs: 'one',
  multipleOutputs: true,
  params: [
    { name: 'split_size', type: 'int', required: true, min: 1, doc: 'Size of each part along dim (the last may be smaller).' },
    { name: 'dim', type: 'int', default: 1, doc: 'Dimension to split (negative counts from the end).' },
  ],
  infer: (ctx) => inferParts(ctx, (n) => splitSizes(n, ctx.attrs.split_size)),
});

export type SplitAttrs = KindAttrs<typeof split>;
