// Depthwise convolution (TensorFlow depthwiseConv2d): one K×K filter per input channel and
// multiplier, i.e. conv2d with groups = C and out_channels = C · depth_multiplier. The group count
// depends on the input, so it is its own kind; the arithmetic is conv2d's.

import { conv2d, convTensors } from '../conv2d/def';
import { requireRank4 } from '../common';
import { tfSamePaddingFacts } from '../tf-same-padding';
import { defineKind, type KindAttrs } from '../types';

export const depthwiseConv2d = defineKind({
  kind: 'depthwise_conv2d',
  torch: 'torch.nn.Conv2d(C, C·depth_multiplier, groups=C)',
  doc: 'Depthwise convolution: groups = in_channels, out_channels = in_channels · depth_multiplier.',
  inputs: 'one',
  params: [
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Filter size k or [kh, kw].' },
    { name: 'stride', type: 'pair', default: 1, min: 1, doc: 'Step between windows.' },
    { name: 'padding', type: 'padding', default: 0, min: 0, doc: "Zero padding per side, or 'same' / 'valid'." },
    { name: 'dilation', type: 'pair', default: 1, min: 1, doc: 'Spacing between kernel taps.' },
    { name: 'depth_multiplier', type: 'int', default: 1, min: 1, doc: 'Output channels per input channel.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Adds a learnable bias per output channel.' },
    { name: 'in_channels', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'conv');
    if (!shape) return undefined;
    const c = shape[1];
    const multiplier = ctx.attrs.depth_multiplier;
    const attrs = { ...ctx.attrs, out_channels: c * multiplier, groups: c };
    const result = conv2d.infer({ ...ctx, attrs });
    if (!result) return undefined;
    return {
      ...result,
      derived: { ...result.derived, out_channels: c * multiplier, groups: c },
      facts: [
        ...(result.facts ?? []),
        ...(ctx.framework === 'tfjs' && result.geometry && !result.facts?.some((f) => f.label === 'TF same')
          ? tfSamePaddingFacts(result.geometry)
          : []),
      ],
    };
  },
  paramTensors: (attrs, [input]) => convTensors(attrs.out_channels, (input![1] ?? 0) / attrs.groups, attrs.kernel_size, attrs.bias),
});

export type DepthwiseConv2dAttrs = KindAttrs<typeof depthwiseConv2d>;
