// Elementwise sum of two or more inputs of equal shape (residual connections).

import { formatShape } from '../../format';
import { defineKind, type KindAttrs } from '../types';

export const add = defineKind({
  kind: 'add',
  torch: 'torch.add',
  doc: 'Elementwise sum of the `from` inputs (residual); all shapes must be equal.',
  inputs: 'many',
  params: [],
  infer(ctx) {
    const first = ctx.inputShapes[0]!;
    for (let i = 1; i < ctx.inputShapes.length; i++) {
      const other = ctx.inputShapes[i]!;
      if (formatShape(other) === formatShape(first)) continue;
      const channelsDiffer = other.length === first.length && first.length >= 2 && other[1] !== first[1];
      const what = channelsDiffer ? `${first[1]} vs ${other[1]} channels` : 'shapes differ';
      const related = [0, i].flatMap((k) => {
        const range = ctx.inputOrigin(k);
        return range ? [{ message: `${ctx.inputNames[k]} outputs ${formatShape(ctx.inputShapes[k])}`, range }] : [];
      });
      ctx.error(
        channelsDiffer ? 'add.channel-mismatch' : 'add.shape-mismatch',
        `${ctx.layer.name}: cannot add ${ctx.inputNames[0]} ${formatShape(first)} and ${ctx.inputNames[i]} ${formatShape(other)} (${what})`,
        ctx.layer.from?.refs[i]?.range ?? ctx.layer.kindRange,
        { related },
      );
      return undefined;
    }
    return { outputShape: [...first], params: 0n, macs: 0n, receptiveField: { type: 'preserve' } };
  },
});

export type AddAttrs = KindAttrs<typeof add>;
