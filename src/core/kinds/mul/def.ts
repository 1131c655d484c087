// Elementwise product of two or more inputs with PyTorch broadcasting: the squeeze-excitation
// gate, a [N, C, 1, 1] tensor times the [N, C, H, W] features (MobileNetV3, EfficientNet, RegNetY).

import { defineKind, type KindAttrs } from '../types';
import { broadcastFacts, inferBroadcast } from '../broadcast';

export const mul = defineKind({
  kind: 'mul',
  torch: 'torch.mul',
  doc: 'Elementwise product of the `from` inputs (e.g. a squeeze-excitation gate), with PyTorch broadcasting.',
  inputs: 'many',
  params: [],
  infer(ctx) {
    const outputShape = inferBroadcast(ctx, 'multiply');
    if (outputShape === undefined) return undefined;
    return { outputShape, params: 0n, macs: 0n, receptiveField: { type: 'preserve' }, facts: broadcastFacts(ctx, outputShape, '×') };
  },
});

export type MulAttrs = KindAttrs<typeof mul>;
