// Channels-first layer normalization (ConvNeXt's LayerNorm2d in torchvision and timm): at every
// position (n, h, w), the C values are normalized by their mean and biased variance, then scaled
// and shifted per channel. 2·C parameters (weight, bias) with elementwise_affine.

import { requireRank4 } from '../common';
import { defineKind, type KindAttrs, type ParamSpec } from '../types';

export const layerNorm2d = defineKind({
  kind: 'layer_norm2d',
  torch: 'LayerNorm2d (torchvision ConvNeXt, timm)',
  doc: 'Layer normalization over the channels at each position of [N, C, H, W] (ConvNeXt), with a per-channel weight and bias.',
  inputs: 'one',
  params: [
    {
      name: 'eps',
      type: 'number',
      default: 1e-6,
      range: [0, 1],
      doc: 'Added to the variance (1e-6 as ConvNeXt and timm use it; nn.LayerNorm defaults to 1e-5).',
    },
    { name: 'elementwise_affine', type: 'bool', default: true, doc: 'Learnable per-channel weight and bias.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'layer_norm2d');
    if (!shape) return undefined;
    return {
      outputShape: [...shape],
      macs: 0n,
      receptiveField: { type: 'preserve' },
      facts: [
        {
          label: 'normalized over',
          value: `the ${shape[1]} channels at each of the ${shape[0] * shape[2] * shape[3]} positions (biased variance, eps ${ctx.attrs.eps})`,
        },
      ],
    };
  },
  paramTensors({ elementwise_affine }, inputShapes): ParamSpec[] {
    const c = inputShapes[0]?.[1] ?? 0;
    if (!elementwise_affine) return [];
    return [
      { name: 'weight', shape: [c], init: { kind: 'constant', value: 1 } },
      { name: 'bias', shape: [c], init: { kind: 'constant', value: 0 } },
    ];
  },
});

export type LayerNorm2dAttrs = KindAttrs<typeof layerNorm2d>;
