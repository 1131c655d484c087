// torch.nn.ConvTranspose2d: out = (H − 1)·S − 2P + D·(K − 1) + output_padding + 1.

import { computeTransposedAxis } from '../../geometry';
import { formatInteger, formatTransposedFormula } from '../../format';
import { checkWrittenCount, requireRank4 } from '../common';
import { defineKind, type KindAttrs, type ParamSpec } from '../types';

export const convTranspose2d = defineKind({
  kind: 'conv_transpose2d',
  torch: 'torch.nn.ConvTranspose2d',
  doc: 'Transposed 2-D convolution (GEMM + col2im in the engine).',
  inputs: 'one',
  params: [
    { name: 'out_channels', type: 'int', required: true, min: 1, doc: 'Number of output channels.' },
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Filter size k or [kh, kw].' },
    { name: 'stride', type: 'pair', default: 1, min: 1, doc: 'Upsampling factor.' },
    { name: 'padding', type: 'pool-padding', default: 0, min: 0, doc: 'Implicit zero padding removed from each side of the output.' },
    {
      name: 'output_padding',
      type: 'pool-padding',
      default: 0,
      min: 0,
      doc: 'Extra size added to one side of the output; smaller than stride or dilation.',
    },
    { name: 'dilation', type: 'pair', default: 1, min: 1, doc: 'Spacing between kernel taps.' },
    { name: 'groups', type: 'int', default: 1, min: 1, doc: 'Blocked connections.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Adds a learnable bias per output channel.' },
    { name: 'in_channels', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'conv');
    if (!shape) return undefined;
    const [n, c, h, w] = shape;
    if (!checkWrittenCount(ctx, 'in_channels', c, 'conv.channel-mismatch', 'channels')) return undefined;
    const { out_channels: outChannels, groups } = ctx.attrs;
    if (c % groups !== 0 || outChannels % groups !== 0) {
      ctx.error(
        'conv.groups-mismatch',
        `${ctx.layer.name}: groups ${groups} does not divide in_channels ${c} and out_channels ${outChannels}`,
        ctx.rangeOf('groups'),
      );
      return undefined;
    }
    const { kernel_size: kernel, stride, padding, output_padding: outputPadding, dilation } = ctx.attrs;
    for (const i of [0, 1] as const) {
      if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
        ctx.error(
          'conv.output-padding-too-large',
          `${ctx.layer.name}: output_padding ${outputPadding[i]} must be smaller than stride ${stride[i]} or dilation ${dilation[i]}`,
          ctx.rangeOf('output_padding'),
        );
        return undefined;
      }
    }
    const axis = (i: 0 | 1, input: number) =>
      computeTransposedAxis({
        input,
        kernel: kernel[i],
        stride: stride[i],
        padding: padding[i],
        dilation: dilation[i],
        outputPadding: outputPadding[i],
      });
    const transposed = { h: axis(0, h), w: axis(1, w) };
    for (const [key, dim] of [
      ['h', 'height'],
      ['w', 'width'],
    ] as const) {
      if (transposed[key].output <= 0) {
        ctx.error(
          'conv.non-positive-output',
          `${ctx.layer.name}: output ${dim} ${formatTransposedFormula(transposed[key])} is not positive`,
          ctx.rangeOf('padding'),
        );
        return undefined;
      }
    }
    const perGroupOut = outChannels / groups;
    // The contract counts MACs for conv2d and linear only; the hover still shows what a
    // transposed convolution really multiplies (ptflops' convention).
    const realMacs = BigInt(n) * BigInt(h) * BigInt(w) * BigInt(c) * BigInt(perGroupOut) * BigInt(kernel[0]) * BigInt(kernel[1]);
    return {
      outputShape: [n, outChannels, transposed.h.output, transposed.w.output],
      macs: 0n,
      transposed,
      receptiveField: { type: 'untracked' },
      derived: { in_channels: c },
      facts: [
        { label: 'H', value: formatTransposedFormula(transposed.h) },
        { label: 'W', value: formatTransposedFormula(transposed.w) },
        {
          label: 'Multiply-adds',
          value: `${formatInteger(realMacs)} (not in the totals: the default convention counts conv2d and linear only)`,
        },
      ],
    };
  },
  paramTensors: (attrs, [input]) => convTransposeTensors(input![1] ?? 0, attrs.out_channels, attrs.groups, attrs.kernel_size, attrs.bias),
});

export type ConvTranspose2dAttrs = KindAttrs<typeof convTranspose2d>;

/**
 * A transposed convolution's weight [Cin, Cout/groups, KH, KW] and bias [Cout]. PyTorch computes
 * fan_in from dim 1 of the weight, which for a transposed conv is Cout/groups.
 */
export function convTransposeTensors(
  cin: number,
  cout: number,
  groups: number,
  [kh, kw]: readonly [number, number],
  bias: boolean,
): ParamSpec[] {
  const fanIn = (cout / groups) * kh * kw;
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  const tensors: ParamSpec[] = [{ name: 'weight', shape: [cin, cout / groups, kh, kw], init: { kind: 'uniform', bound } }];
  if (bias) tensors.push({ name: 'bias', shape: [cout], init: { kind: 'uniform', bound } });
  return tensors;
}
