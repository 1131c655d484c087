// torch.nn.BatchNorm2d: 2·C parameters (weight, bias); running mean and variance are buffers.
// TensorFlow counts its moving statistics as (non-trainable) weights: 4·C.

import { checkWrittenCount, requireRank4 } from '../common';
import { defineKind, type KindAttrs, type ParamSpec } from '../types';

export const batchnorm2d = defineKind({
  kind: 'batchnorm2d',
  torch: 'torch.nn.BatchNorm2d',
  doc: 'Batch normalization over channels (inference: running statistics).',
  inputs: 'one',
  params: [
    { name: 'eps', type: 'number', default: 1e-5, range: [0, 1], doc: 'Added to the variance for stability.' },
    { name: 'momentum', type: 'number', default: 0.1, range: [0, 1], doc: 'Running-statistics update rate (training only).' },
    { name: 'affine', type: 'bool', default: true, doc: 'Learnable weight and bias.' },
    { name: 'num_features', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'batchnorm');
    if (!shape) return undefined;
    const c = shape[1];
    if (!checkWrittenCount(ctx, 'num_features', c, 'batchnorm.channel-mismatch', 'channels')) return undefined;
    return {
      outputShape: [...shape],
      macs: 0n,
      receptiveField: { type: 'preserve' },
      derived: { num_features: c },
      facts: [{ label: 'Buffers', value: `running_mean and running_var: ${c} each (not parameters)` }],
    };
  },
  paramTensors({ num_features: c, affine }) {
    const stats: ParamSpec[] = [
      { name: 'running_mean', shape: [c], init: { kind: 'constant', value: 0 }, buffer: true },
      { name: 'running_var', shape: [c], init: { kind: 'constant', value: 1 }, buffer: true },
    ];
    if (!affine) return stats;
    return [
      { name: 'weight', shape: [c], init: { kind: 'constant', value: 1 } },
      { name: 'bias', shape: [c], init: { kind: 'constant', value: 0 } },
      ...stats,
    ];
  },
});

export type Batchnorm2dAttrs = KindAttrs<typeof batchnorm2d>;
