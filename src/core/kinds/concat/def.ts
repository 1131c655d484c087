// torch.cat along `dim`: every other dimension must agree.

import { formatShape } from '../../format';
import { defineKind, type KindAttrs } from '../types';

export const concat = defineKind({
  kind: 'concat',
  torch: 'torch.cat',
  doc: 'Concatenates the `from` inputs along dim (channels by default); one input is copied, as torch.cat([x], 1).',
  inputs: 'many',
  minInputs: 1,
  params: [{ name: 'dim', type: 'int', default: 1, doc: 'Dimension to concatenate along (negative counts from the end).' }],
  infer(ctx) {
    const first = ctx.inputShapes[0]!;
    const rank = first.length;
    const written = ctx.attrs.dim;
    // TensorFlow's concatenate axis is NHWC; shapes here are NCHW, so map channel-last to 1.
    const tfAxis = ctx.framework === 'tfjs' && rank === 4 ? [0, 2, 3, 1][written < 0 ? written + rank : written] : undefined;
    const dim = tfAxis ?? (written < 0 ? written + rank : written);
    if (dim < 0 || dim >= rank) {
      ctx.error(
        'concat.dim-out-of-range',
        `${ctx.layer.name}: dim ${written} is out of range for ${rank}-D inputs (expected ${-rank}..${rank - 1})`,
        ctx.rangeOf('dim'),
      );
      return undefined;
    }
    let total = 0;
    for (let i = 0; i < ctx.inputShapes.length; i++) {
      const shape = ctx.inputShapes[i]!;
      const mismatch = shape.length !== rank || shape.some((d, k) => k !== dim && d !== first[k]);
      if (mismatch) {
        const related = [0, i].flatMap((k) => {
          const range = ctx.inputOrigin(k);
          return range ? [{ message: `${ctx.inputNames[k]} outputs ${formatShape(ctx.inputShapes[k])}`, range }] : [];
        });
        const axis = shape.length === rank ? shape.findIndex((d, k) => k !== dim && d !== first[k]) : -1;
        const detail =
          axis >= 0 ? `dimension ${axis} differs: ${first[axis]} vs ${shape[axis]}` : `ranks differ: ${rank} vs ${shape.length}`;
        ctx.error(
          'concat.shape-mismatch',
          `${ctx.layer.name}: cannot concatenate ${ctx.inputNames[0]} ${formatShape(first)} and ${ctx.inputNames[i]} ${formatShape(shape)} along dim ${written} (${detail})`,
          ctx.layer.from?.refs[i]?.range ?? ctx.layer.kindRange,
          { related },
        );
        return undefined;
      }
      total += shape[dim]!;
    }
    const outputShape = [...first];
    outputShape[dim] = total;
    return { outputShape, params: 0n, macs: 0n, receptiveField: { type: 'preserve' }, derived: { dim } };
  },
});

export type ConcatAttrs = KindAttrs<typeof concat>;
