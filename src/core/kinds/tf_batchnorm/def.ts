// TensorFlow's BatchNormalization on the channel axis (the last axis in NHWC: channels of a 4-D
// tensor, features of a 2-D one). TensorFlow counts gamma and beta (when scale / center are on)
// and the moving mean and variance (non-trainable weights) in countParams(): up to 4·C.

import { formatShape } from '../../format';
import { checkWrittenCount, relatedInput } from '../common';
import { defineKind, type KindAttrs, type ParamSpec } from '../types';

export const tfBatchnorm = defineKind({
  kind: 'tf_batchnorm',
  torch: '(TensorFlow) tf.layers.batchNormalization',
  doc: 'TensorFlow batch normalization over channels, any rank ≥ 2; params (scale + center + 2)·C, moving statistics included.',
  frameworks: ['tfjs'],
  inputs: 'one',
  params: [
    { name: 'eps', type: 'number', default: 1e-3, range: [0, 1], doc: 'Added to the variance for stability (TensorFlow epsilon).' },
    { name: 'momentum', type: 'number', default: 0.99, range: [0, 1], doc: 'Moving-average decay (training only).' },
    { name: 'center', type: 'bool', default: true, doc: 'Learnable offset beta.' },
    { name: 'scale', type: 'bool', default: true, doc: 'Learnable factor gamma.' },
    { name: 'num_features', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = ctx.inputShapes[0]!;
    if (shape.length < 2) {
      ctx.error(
        'batchnorm.input-rank',
        `${ctx.layer.name}: batch normalization needs at least 2 dimensions, got ${formatShape(shape)}`,
        ctx.layer.kindRange,
        {
          related: relatedInput(ctx, 0, `${ctx.inputNames[0]} outputs ${formatShape(shape)}`),
        },
      );
      return undefined;
    }
    // Shapes are NCHW inside the analyzer: TensorFlow's last (channel) axis is 1 for 4-D tensors.
    const c = shape.length === 4 ? shape[1]! : shape[shape.length - 1]!;
    if (!checkWrittenCount(ctx, 'num_features', c, 'batchnorm.channel-mismatch', 'channels')) return undefined;
    const learned = (ctx.attrs.center ? 1n : 0n) + (ctx.attrs.scale ? 1n : 0n);
    return {
      outputShape: [...shape],
      macs: 0n,
      receptiveField: { type: 'preserve' },
      derived: { num_features: c },
      facts: [
        {
          label: 'Weights',
          value: `${learned === 2n ? 'gamma and beta' : learned === 1n ? (ctx.attrs.scale ? 'gamma' : 'beta') : 'no learned weights'} plus moving_mean and moving_variance: ${c} each (TensorFlow counts all of them)`,
        },
      ],
    };
  },
  // TensorFlow's names and initializers: gamma ones, beta zeros, moving mean zeros, moving variance ones.
  paramTensors({ num_features: c, scale, center }) {
    const tensors: ParamSpec[] = [];
    if (scale) tensors.push({ name: 'gamma', shape: [c], init: { kind: 'constant', value: 1 } });
    if (center) tensors.push({ name: 'beta', shape: [c], init: { kind: 'constant', value: 0 } });
    tensors.push({ name: 'moving_mean', shape: [c], init: { kind: 'constant', value: 0 }, buffer: true });
    tensors.push({ name: 'moving_variance', shape: [c], init: { kind: 'constant', value: 1 }, buffer: true });
    return tensors;
  },
});

export type TfBatchnormAttrs = KindAttrs<typeof tfBatchnorm>;
