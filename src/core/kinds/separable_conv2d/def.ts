// Separable convolution (TensorFlow separableConv2d): a depthwise K×K convolution without bias
// (C · depth_multiplier channels), then a 1×1 pointwise convolution to out_channels with bias.
// TensorFlow's count: K·K·C·dm + C·dm·out + out. One layer here, as in TensorFlow.

import { formatInteger } from '../../format';
import { conv2d } from '../conv2d/def';
import { requireRank4 } from '../common';
import { tfSamePaddingFacts } from '../tf-same-padding';
import type { LayerKindDef } from '../types';

export const separableConv2d: LayerKindDef = {
  kind: 'separable_conv2d',
  torch: 'depthwise torch.nn.Conv2d(groups=C, bias=False) + 1×1 torch.nn.Conv2d',
  doc: 'Depthwise K×K convolution (no bias) followed by a 1×1 pointwise convolution to out_channels.',
  inputs: 'one',
  params: [
    { name: 'out_channels', type: 'int', required: true, min: 1, doc: 'Output channels of the pointwise convolution (TensorFlow filters).' },
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Depthwise filter size k or [kh, kw].' },
    { name: 'stride', type: 'pair', default: 1, min: 1, doc: 'Step between depthwise windows.' },
    { name: 'padding', type: 'padding', default: 0, min: 0, doc: "Zero padding per side, or 'same' / 'valid'." },
    { name: 'dilation', type: 'pair', default: 1, min: 1, doc: 'Spacing between depthwise kernel taps.' },
    { name: 'depth_multiplier', type: 'int', default: 1, min: 1, doc: 'Depthwise output channels per input channel.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Adds a learnable bias to the pointwise output.' },
    { name: 'in_channels', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'conv');
    if (!shape) return undefined;
    const [n, c] = shape;
    const multiplier = ctx.attrs.depth_multiplier as number;
    const mid = c * multiplier;
    const depthwise = conv2d.infer({ ...ctx, attrs: { ...ctx.attrs, out_channels: mid, groups: c, bias: false } });
    if (!depthwise?.geometry) return undefined;
    const out = ctx.attrs.out_channels as number;
    const oh = depthwise.geometry.h.output;
    const ow = depthwise.geometry.w.output;
    const pointwiseParams = BigInt(mid) * BigInt(out) + (ctx.attrs.bias ? BigInt(out) : 0n);
    const pointwiseMacs = BigInt(n) * BigInt(oh) * BigInt(ow) * BigInt(mid) * BigInt(out);
    const depthwiseParams = depthwise.params ?? 0n;
    const [kh, kw] = ctx.attrs.kernel_size as [number, number];
    return {
      outputShape: [n, out, oh, ow],
      params: depthwiseParams + pointwiseParams,
      macs: (depthwise.macs ?? 0n) + pointwiseMacs,
      geometry: depthwise.geometry,
      receptiveField: depthwise.receptiveField,
      derived: { in_channels: c, groups: c },
      facts: [
        ...(depthwise.facts ?? []).filter((f) => f.label === 'H' || f.label === 'W'),
        { label: 'Depthwise', value: `${kh}×${kw}×${c}×${multiplier} = ${formatInteger(depthwiseParams)} weights (no bias) → ${mid} channels` },
        { label: 'Pointwise', value: `1×1: ${mid}×${out}${ctx.attrs.bias ? ` + ${out} bias` : ''} = ${formatInteger(pointwiseParams)} params → ${out} channels` },
        ...(ctx.framework === 'tfjs' ? tfSamePaddingFacts(depthwise.geometry) : []),
      ],
    };
  },
};
