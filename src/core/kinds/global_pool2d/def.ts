// TensorFlow's GlobalAveragePooling2D / GlobalMaxPooling2D: [N, C, H, W] → [N, C] (the spatial
// axes are reduced away, unlike adaptive pooling to 1×1, which keeps them as 1 × 1).

import { requireRank4 } from '../common';
import { defineKind, type InferContext, type InferResult, type KindAttrs } from '../types';

function inferGlobal(ctx: InferContext): InferResult | undefined {
  const shape = requireRank4(ctx, 'pool');
  if (!shape) return undefined;
  const [n, c, h, w] = shape;
  return {
    outputShape: [n, c],
    params: 0n,
    macs: 0n,
    receptiveField: { type: 'global' },
    facts: [{ label: 'Windows', value: `${h}×${w} → one value per channel (the H and W axes are removed)` }],
  };
}

export const globalAvgpool2d = defineKind({
  kind: 'global_avgpool2d',
  torch: 'torch.mean(x, dim=(2, 3))',
  doc: 'Global average pooling: [N, C, H, W] → [N, C] (TensorFlow globalAveragePooling2d).',
  inputs: 'one',
  params: [],
  infer: inferGlobal,
});

export type GlobalAvgpool2dAttrs = KindAttrs<typeof globalAvgpool2d>;

export const globalMaxpool2d = defineKind({
  kind: 'global_maxpool2d',
  torch: 'torch.amax(x, dim=(2, 3))',
  doc: 'Global max pooling: [N, C, H, W] → [N, C] (TensorFlow globalMaxPooling2d).',
  inputs: 'one',
  params: [],
  infer: inferGlobal,
});

export type GlobalMaxpool2dAttrs = KindAttrs<typeof globalMaxpool2d>;
