// torch.nn.Upsample: out = floor(H · scale_factor), or the given size.

import { requireRank4 } from '../common';
import { defineKind, type KindAttrs } from '../types';

export const upsample = defineKind({
  kind: 'upsample',
  torch: 'torch.nn.Upsample',
  doc: 'Resizes H and W by scale_factor or to size.',
  inputs: 'one',
  params: [
    { name: 'scale_factor', type: 'scale', doc: 'Multiplier s or [sh, sw] (give this or size).' },
    { name: 'size', type: 'pair', min: 1, doc: 'Target size k or [h, w] (give this or scale_factor).' },
    { name: 'mode', type: 'enum', default: 'nearest', values: ['nearest', 'bilinear', 'bicubic', 'nearest-exact'], doc: 'Interpolation.' },
    { name: 'align_corners', type: 'bool', doc: 'Bilinear/bicubic only: align the corner pixels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'upsample');
    if (!shape) return undefined;
    const [n, c, h, w] = shape;
    const hasScale = ctx.has('scale_factor');
    const hasSize = ctx.has('size');
    if (hasScale === hasSize) {
      ctx.error(
        'upsample.size-or-scale',
        `${ctx.layer.name}: give exactly one of scale_factor and size${hasScale ? ', not both' : ''}`,
        hasScale ? ctx.rangeOf('size') : ctx.layer.kindRange,
      );
      return undefined;
    }
    let oh: number;
    let ow: number;
    if (hasSize) {
      [oh, ow] = ctx.attrs.size as [number, number];
    } else {
      const [sh, sw] = ctx.attrs.scale_factor as [number, number];
      oh = Math.floor(h * sh);
      ow = Math.floor(w * sw);
    }
    if (oh <= 0 || ow <= 0) {
      ctx.error(
        'upsample.non-positive-output',
        `${ctx.layer.name}: output ${oh}×${ow} is empty`,
        ctx.rangeOf(hasSize ? 'size' : 'scale_factor'),
      );
      return undefined;
    }
    return {
      outputShape: [n, c, oh, ow],
      params: 0n,
      macs: 0n,
      receptiveField: { type: 'untracked' },
      facts: [{ label: 'Resize', value: `${h}×${w} → ${oh}×${ow} (${ctx.attrs.mode})` }],
    };
  },
});

export type UpsampleAttrs = KindAttrs<typeof upsample>;
