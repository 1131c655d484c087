// torch.chunk: splits the input into `chunks` parts along `dim` (ShuffleNetV2's x.chunk(2, dim=1));
// `from: name.k` takes part k.

import { defineKind, type KindAttrs } from '../types';
import { chunkSizes, inferParts } from './parts';

export const chunk = defineKind({
  kind: 'chunk',
  torch: 'torch.chunk',
  doc: 'Splits the input into `chunks` parts along dim (each ceil(n / chunks), the last smaller); `from: name.k` takes part k.',
  inputs: 'one',
  multipleOutputs: true,
  params: [
    { name: 'chunks', type: 'int', required: true, min: 1, doc: 'Number of parts (fewer when the dimension runs out, as torch.chunk).' },
    { name: 'dim', type: 'int', default: 1, doc: 'Dimension to split (negative counts from the end).' },
  ],
  infer: (ctx) => inferParts(ctx, (n) => chunkSizes(n, ctx.attrs.chunks)),
});

export type ChunkAttrs = KindAttrs<typeof chunk>;
