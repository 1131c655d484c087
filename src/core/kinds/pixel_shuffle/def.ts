// torch.nn.PixelShuffle (sub-pixel convolution, ESPCN): [N, C·r², H, W] → [N, C, H·r, W·r]; output
// pixel (h·r + i, w·r + j) of channel c is input channel c·r² + i·r + j at (h, w). No parameters.

import { defineKind, type KindAttrs } from '../types';

export const pixelShuffle = defineKind({
  kind: 'pixel_shuffle',
  torch: 'torch.nn.PixelShuffle',
  doc: 'Rearranges [N, C·r², H, W] into [N, C, H·r, W·r] (sub-pixel convolution): depth to space.',
  inputs: 'one',
  params: [{ name: 'upscale_factor', type: 'int', required: true, min: 1, doc: 'r: H and W grow r times, the channels shrink r² times.' }],
  infer(ctx) {
    const input = ctx.inputShapes[0]!;
    const r = ctx.attrs.upscale_factor;
    if (input.length !== 4) {
      ctx.error(
        'pixel_shuffle.rank',
        `${ctx.layer.name}: pixel_shuffle needs a [N, C, H, W] input, got [${input.join(', ')}]`,
        ctx.layer.kindRange,
      );
      return undefined;
    }
    const [n, c, h, w] = input as [number, number, number, number];
    if (c % (r * r) !== 0) {
      ctx.error(
        'pixel_shuffle.channels-mismatch',
        `${ctx.layer.name}: ${c} channels are not a multiple of upscale_factor² = ${r}² = ${r * r}`,
        ctx.rangeOf('upscale_factor'),
      );
      return undefined;
    }
    return {
      outputShape: [n, c / (r * r), h * r, w * r],
      params: 0n,
      macs: 0n,
      receptiveField: { type: 'untracked' },
      facts: [
        {
          label: 'depth to space',
          value: `${c} channels / ${r}² = ${c / (r * r)}; ${h}×${w} · ${r} = ${h * r}×${w * r}: out[c][h·${r} + i][w·${r} + j] = in[c·${r * r} + i·${r} + j][h][w]`,
        },
      ],
    };
  },
});

export type PixelShuffleAttrs = KindAttrs<typeof pixelShuffle>;
