// TensorFlow's conv2dTranspose: output H·S for 'same', H·S + max(K − S, 0) for 'valid'
// (tfjs-layers' deconvLength). PyTorch's conv_transpose2d cannot express every such size with
// symmetric padding (even kernels with stride 1), hence a kind of its own. tfjs-layers ignores
// dilationRate for this layer, so there is none here.

import { formatInteger } from '../../format';
import { checkWrittenCount, requireRank4 } from '../common';
import { convTransposeTensors } from '../conv_transpose2d/def';
import { defineKind, type KindAttrs } from '../types';

export const tfConvTranspose2d = defineKind({
  kind: 'tf_conv_transpose2d',
  torch: '(TensorFlow) tf.layers.conv2dTranspose',
  doc: "TensorFlow transposed convolution: output H·stride ('same') or H·stride + max(kernel − stride, 0) ('valid').",
  frameworks: ['tfjs'],
  inputs: 'one',
  params: [
    { name: 'out_channels', type: 'int', required: true, min: 1, doc: 'Number of output channels (TensorFlow filters).' },
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Filter size k or [kh, kw].' },
    { name: 'stride', type: 'pair', default: 1, min: 1, doc: 'Upsampling factor.' },
    {
      name: 'padding',
      type: 'enum',
      default: 'valid',
      values: ['valid', 'same'],
      doc: "'same': output H·stride; 'valid': H·stride + max(kernel − stride, 0).",
    },
    { name: 'bias', type: 'bool', default: true, doc: 'Adds a learnable bias per output channel.' },
    { name: 'in_channels', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'conv');
    if (!shape) return undefined;
    const [n, c, h, w] = shape;
    if (!checkWrittenCount(ctx, 'in_channels', c, 'conv.channel-mismatch', 'channels')) return undefined;
    const { out_channels: out, kernel_size: kernel, stride } = ctx.attrs;
    const same = ctx.attrs.padding === 'same';
    const axis = (input: number, k: number, s: number) => (same ? input * s : input * s + Math.max(k - s, 0));
    const formula = (input: number, k: number, s: number) =>
      same ? `${input}·${s} = ${input * s}` : `${input}·${s} + max(${k} − ${s}, 0) = ${axis(input, k, s)}`;
    const oh = axis(h, kernel[0], stride[0]);
    const ow = axis(w, kernel[1], stride[1]);
    const realMacs = BigInt(n) * BigInt(h) * BigInt(w) * BigInt(c) * BigInt(out) * BigInt(kernel[0]) * BigInt(kernel[1]);
    return {
      outputShape: [n, out, oh, ow],
      macs: 0n,
      receptiveField: { type: 'untracked' },
      derived: { in_channels: c },
      facts: [
        { label: 'H', value: formula(h, kernel[0], stride[0]) },
        { label: 'W', value: formula(w, kernel[1], stride[1]) },
        {
          label: 'Multiply-adds',
          value: `${formatInteger(realMacs)} (not in the totals: the default convention counts conv2d and linear only)`,
        },
      ],
    };
  },
  // PyTorch's ConvTranspose2d layout and bound (fan_in from weight dim 1: Cout · KH · KW).
  paramTensors: (attrs, [input]) => convTransposeTensors(input![1] ?? 0, attrs.out_channels, 1, attrs.kernel_size, attrs.bias),
});

export type TfConvTranspose2dAttrs = KindAttrs<typeof tfConvTranspose2d>;
