// torch.flatten(x, start_dim, end_dim): merges the dimensions start_dim..end_dim.

import { formatShape } from '../../format';
import { defineKind, type KindAttrs } from '../types';

export const flatten = defineKind({
  kind: 'flatten',
  torch: 'torch.nn.Flatten',
  doc: 'Merges dimensions start_dim..end_dim into one.',
  inputs: 'one',
  params: [
    { name: 'start_dim', type: 'int', default: 1, doc: 'First dimension to merge (negative counts from the end).' },
    { name: 'end_dim', type: 'int', default: -1, doc: 'Last dimension to merge (negative counts from the end).' },
  ],
  infer(ctx) {
    const shape = ctx.inputShapes[0]!;
    const rank = shape.length;
    const normalize = (d: number) => (d < 0 ? d + rank : d);
    const start = normalize(ctx.attrs.start_dim);
    const end = normalize(ctx.attrs.end_dim);
    for (const [key, d] of [
      ['start_dim', start],
      ['end_dim', end],
    ] as const) {
      if (d < 0 || d >= rank) {
        ctx.error(
          'flatten.dim-out-of-range',
          `${ctx.layer.name}: ${key} ${ctx.attrs[key]} is out of range for a ${rank}-D input ${formatShape(shape)} (expected ${-rank}..${rank - 1})`,
          ctx.rangeOf(key),
        );
        return undefined;
      }
    }
    if (start > end) {
      ctx.error(
        'flatten.dim-out-of-range',
        `${ctx.layer.name}: start_dim (${start}) comes after end_dim (${end}) for ${formatShape(shape)}`,
        ctx.rangeOf('start_dim'),
      );
      return undefined;
    }
    const merged = shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
    return {
      outputShape: [...shape.slice(0, start), merged, ...shape.slice(end + 1)],
      params: 0n,
      macs: 0n,
      receptiveField: { type: 'untracked' },
    };
  },
});

export type FlattenAttrs = KindAttrs<typeof flatten>;
