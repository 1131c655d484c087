// torch.nn.ConvTranspose2d: out = (H − 1)·S − 2P + D·(K − 1) + output_padding + 1.

import { computeTransposedAxis } from '../../geometry';
import { formatInteger, formatTransposedFormula } from '../../format';
import { checkWrittenCount, pair, requireRank4 } from '../common';
import type { LayerKindDef } from '../types';

export const convTranspose2d: LayerKindDef = {
  kind: 'conv_transpose2d',
  torch: 'torch.nn.ConvTranspose2d',
  doc: 'Transposed 2-D convolution (GEMM + col2im in the engine).',
  inputs: 'one',
  params: [
    { name: 'out_channels', type: 'int', required: true, min: 1, doc: 'Number of output channels.' },
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Filter size k or [kh, kw].' },
    { name: 'stride', type: 'pair', default: 1, min: 1, doc: 'Upsampling factor.' },
    { name: 'padding', type: 'pool-padding', default: 0, min: 0, doc: 'Implicit zero padding removed from each side of the output.' },
    { name: 'output_padding', type: 'pool-padding', default: 0, min: 0, doc: 'Extra size added to one side of the output; smaller than stride or dilation.' },
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
    const outChannels = ctx.attrs.out_channels as number;
    const groups = ctx.attrs.groups as number;
    if (c % groups !== 0 || outChannels % groups !== 0) {
      ctx.error('conv.groups-mismatch', `${ctx.layer.name}: groups ${groups} does not divide in_channels ${c} and out_channels ${outChannels}`, ctx.rangeOf('groups'));
      return undefined;
    }
    const kernel = pair(ctx, 'kernel_size');
    const stride = pair(ctx, 'stride');
    const padding = pair(ctx, 'padding');
    const outputPadding = pair(ctx, 'output_padding');
    const dilation = pair(ctx, 'dilation');
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
      computeTransposedAxis({ input, kernel: kernel[i], stride: stride[i], padding: padding[i], dilation: dilation[i], outputPadding: outputPadding[i] });
    const transposed = { h: axis(0, h), w: axis(1, w) };
    for (const [key, dim] of [['h', 'height'], ['w', 'width']] as const) {
      if (transposed[key].output <= 0) {
        ctx.error('conv.non-positive-output', `${ctx.layer.name}: output ${dim} ${formatTransposedFormula(transposed[key])} is not positive`, ctx.rangeOf('padding'));
        return undefined;
      }
    }
    const perGroupOut = outChannels / groups;
    const params = BigInt(c) * BigInt(perGroupOut) * BigInt(kernel[0]) * BigInt(kernel[1]) + (ctx.attrs.bias ? BigInt(outChannels) : 0n);
    // The contract counts MACs for conv2d and linear only; the hover still shows what a
    // transposed convolution really multiplies (ptflops' convention).
    const realMacs = BigInt(n) * BigInt(h) * BigInt(w) * BigInt(c) * BigInt(perGroupOut) * BigInt(kernel[0]) * BigInt(kernel[1]);
    return {
      outputShape: [n, outChannels, transposed.h.output, transposed.w.output],
      params,
      macs: 0n,
      transposed,
      receptiveField: { type: 'untracked' },
      derived: { in_channels: c },
      facts: [
        { label: 'H', value: formatTransposedFormula(transposed.h) },
        { label: 'W', value: formatTransposedFormula(transposed.w) },
        { label: 'Multiply-adds', value: `${formatInteger(realMacs)} (not in the totals: the default convention counts conv2d and linear only)` },
      ],
    };
  },
};
