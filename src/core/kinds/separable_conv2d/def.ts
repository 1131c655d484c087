// Separable convolution (TensorFlow separableConv2d): a depthwise K×K convolution without bias
// (C · depth_multiplier channels), then a 1×1 pointwise convolution to out_channels with bias.
// TensorFlow's count: K·K·C·dm + C·dm·out + out. One layer here, as in TensorFlow.

import { formatInteger } from '../../format';
import { conv2d, convTensors } from '../conv2d/def';
import { requireRank4 } from '../common';
import { tfSamePaddingFacts } from '../tf-same-padding';
import { countParams, defineKind, type KindAttrs, type ParamSpec } from '../types';

export const separableConv2d = defineKind({
  kind: 'separable_conv2d',
  torch: 'depthwise torch.nn.Conv2d(groups=C, bias=False) + 1×1 torch.nn.Conv2d',
  doc: 'Depthwise K×K convolution (no bias) followed by a 1×1 pointwise convolution to out_channels.',
  inputs: 'one',
  params: [
    {
      name: 'out_channels',
      type: 'int',
      required: true,
      min: 1,
      doc: 'Output channels of the pointwise convolution (TensorFlow filters).',
    },
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
    const multiplier = ctx.attrs.depth_multiplier;
    const mid = c * multiplier;
    const depthwise = conv2d.infer({ ...ctx, attrs: { ...ctx.attrs, out_channels: mid, groups: c, bias: false } });
    if (!depthwise?.geometry) return undefined;
    const out = ctx.attrs.out_channels;
    const oh = depthwise.geometry.h.output;
    const ow = depthwise.geometry.w.output;
    const [depthwiseTensors, pointwiseTensors] = separableTensors(c, ctx.attrs);
    const pointwiseParams = countParams(pointwiseTensors, ctx.framework);
    const pointwiseMacs = BigInt(n) * BigInt(oh) * BigInt(ow) * BigInt(mid) * BigInt(out);
    const depthwiseParams = countParams(depthwiseTensors, ctx.framework);
    const [kh, kw] = ctx.attrs.kernel_size;
    return {
      outputShape: [n, out, oh, ow],
      macs: (depthwise.macs ?? 0n) + pointwiseMacs,
      geometry: depthwise.geometry,
      receptiveField: depthwise.receptiveField,
      derived: { in_channels: c, groups: c },
      facts: [
        ...(depthwise.facts ?? []).filter((f) => f.label === 'H' || f.label === 'W'),
        {
          label: 'Depthwise',
          value: `${kh}×${kw}×${c}×${multiplier} = ${formatInteger(depthwiseParams)} weights (no bias) → ${mid} channels`,
        },
        {
          label: 'Pointwise',
          value: `1×1: ${mid}×${out}${ctx.attrs.bias ? ` + ${out} bias` : ''} = ${formatInteger(pointwiseParams)} params → ${out} channels`,
        },
        ...(ctx.framework === 'tfjs' ? tfSamePaddingFacts(depthwise.geometry) : []),
      ],
    };
  },
  paramTensors: (attrs, [input]) => separableTensors(input![1] ?? 0, attrs).flat(),
});

export type SeparableConv2dAttrs = KindAttrs<typeof separableConv2d>;

/**
 * The depthwise weight [C·m, 1, KH, KW] (no bias) and the pointwise weight [out, C·m, 1, 1] with
 * the bias, each with PyTorch's default bound for its convolution (1/√fan_in).
 */
function separableTensors(
  c: number,
  attrs: { depth_multiplier: number; out_channels: number; kernel_size: [number, number]; bias: boolean },
): [ParamSpec[], ParamSpec[]] {
  const mid = c * attrs.depth_multiplier;
  const depthwise = convTensors(mid, 1, attrs.kernel_size, false).map((t) => ({ ...t, name: 'depthwise_weight' }));
  const pointwise = convTensors(attrs.out_channels, mid, [1, 1], attrs.bias).map((t) =>
    t.name === 'weight' ? { ...t, name: 'pointwise_weight' } : t,
  );
  return [depthwise, pointwise];
}
