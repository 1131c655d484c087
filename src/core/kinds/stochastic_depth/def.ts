// torchvision.ops.StochasticDepth (EfficientNet, ConvNeXt): drops a residual branch with
// probability p in training; the identity at inference, which is what ConvLens computes.

import { defineKind, type KindAttrs } from '../types';

export const stochasticDepth = defineKind({
  kind: 'stochastic_depth',
  torch: 'torchvision.ops.StochasticDepth',
  doc: 'Drops the residual branch with probability p (per sample in "row" mode) in training; identity at inference.',
  inputs: 'one',
  params: [
    {
      name: 'p',
      type: 'number',
      default: 0.5,
      range: [0, 1],
      doc: 'Drop probability, in [0, 1] (shown in the hover; no effect at inference).',
    },
    {
      name: 'mode',
      type: 'enum',
      values: ['row', 'batch'],
      default: 'row',
      doc: '"row": one draw per sample; "batch": one for the whole batch (training only).',
    },
  ],
  infer: (ctx) => ({
    outputShape: [...ctx.inputShapes[0]!],
    params: 0n,
    macs: 0n,
    receptiveField: { type: 'preserve' },
    facts: [{ label: 'drop probability', value: `p = ${ctx.attrs.p} (${ctx.attrs.mode} mode, training only; identity at inference)` }],
  }),
});

export type StochasticDepthAttrs = KindAttrs<typeof stochasticDepth>;
