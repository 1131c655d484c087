// torch.nn.ChannelShuffle (ShuffleNet): [N, C, H, W] viewed as [N, g, C/g, H, W], the two channel
// axes swapped, viewed back; the shape is unchanged.

import { defineKind, type KindAttrs } from '../types';

export const channelShuffle = defineKind({
  kind: 'channel_shuffle',
  torch: 'torch.nn.ChannelShuffle',
  doc: 'Shuffles the channels in `groups` groups (ShuffleNet): output channel i·g + j is input channel j·(C/g) + i.',
  inputs: 'one',
  params: [{ name: 'groups', type: 'int', required: true, min: 1, doc: 'Number of groups; must divide the channels.' }],
  infer(ctx) {
    const input = ctx.inputShapes[0]!;
    const groups = ctx.attrs.groups;
    if (input.length < 2) {
      ctx.error(
        'channel_shuffle.rank',
        `${ctx.layer.name}: channel_shuffle needs an input with channels ([N, C, …]), got [${input.join(', ')}]`,
        ctx.layer.kindRange,
      );
      return undefined;
    }
    const channels = input[1]!;
    if (channels % groups !== 0) {
      ctx.error(
        'channel_shuffle.groups-mismatch',
        `${ctx.layer.name}: ${channels} channels can't be shuffled in ${groups} groups (${channels} is not a multiple of ${groups})`,
        ctx.rangeOf('groups'),
      );
      return undefined;
    }
    return {
      outputShape: [...input],
      params: 0n,
      macs: 0n,
      receptiveField: { type: 'preserve' },
      facts: [
        {
          label: 'shuffle',
          value: `${groups} groups of ${channels / groups} channels: out[i·${groups} + j] = in[j·${channels / groups} + i]`,
        },
      ],
    };
  },
});

export type ChannelShuffleAttrs = KindAttrs<typeof channelShuffle>;
