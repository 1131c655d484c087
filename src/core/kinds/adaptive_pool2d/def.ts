// torch.nn.AdaptiveAvgPool2d / AdaptiveMaxPool2d: any input size to a fixed output size; window i
// spans [floor(i·H/O), ceil((i+1)·H/O)).

import { requireRank4 } from '../common';
import { defineKind, type InferContext, type InferResult, type KindAttrs } from '../types';

function inferAdaptive(ctx: InferContext<{ output_size: [number | null, number | null] }>): InferResult | undefined {
  const shape = requireRank4(ctx, 'pool');
  if (!shape) return undefined;
  const [n, c, h, w] = shape;
  const size = ctx.attrs.output_size;
  const oh = size[0] ?? h;
  const ow = size[1] ?? w;
  const global = oh === 1 && ow === 1;
  return {
    outputShape: [n, c, oh, ow],
    params: 0n,
    macs: 0n,
    receptiveField: global ? { type: 'global' } : { type: 'untracked' },
    facts: [{ label: 'Windows', value: `${h}×${w} → ${oh}×${ow}${global ? ' (global pooling)' : ''}` }],
  };
}

const outputSize = {
  name: 'output_size',
  type: 'output-size',
  required: true,
  min: 1,
  doc: 'Target size k or [h, w]; null keeps that input dimension.',
} as const;

export const adaptiveAvgpool2d = defineKind({
  kind: 'adaptive_avgpool2d',
  torch: 'torch.nn.AdaptiveAvgPool2d',
  doc: 'Adaptive average pooling to a fixed output size.',
  inputs: 'one',
  params: [outputSize],
  infer: inferAdaptive,
});

export type AdaptiveAvgpool2dAttrs = KindAttrs<typeof adaptiveAvgpool2d>;

export const adaptiveMaxpool2d = defineKind({
  kind: 'adaptive_maxpool2d',
  torch: 'torch.nn.AdaptiveMaxPool2d',
  doc: 'Adaptive max pooling to a fixed output size.',
  inputs: 'one',
  params: [outputSize],
  infer: inferAdaptive,
});

export type AdaptiveMaxpool2dAttrs = KindAttrs<typeof adaptiveMaxpool2d>;
