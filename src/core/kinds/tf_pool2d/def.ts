// TensorFlow's MaxPooling2D / AveragePooling2D: pool size 2 by default, stride = pool size,
// padding 'valid' (floor((H − K) / S) + 1) or 'same' (ceil(H / S), the odd padding pixel at the
// end). Separate from maxpool2d / avgpool2d because PyTorch pooling has no 'same' mode and its
// average counts the padding, while TensorFlow's averages over the unpadded elements only.

import { computeWindowGeometry } from '../../geometry';
import { formatAxisFormula } from '../../format';
import { reportWindowProblems, requireRank4, windowRule } from '../common';
import { tfSamePaddingFacts } from '../tf-same-padding';
import { defineKind, type AttrsOf, type InferContext, type InferResult, type KindAttrs, type Pair } from '../types';

const params = [
  { name: 'kernel_size', type: 'pair', default: 2, min: 1, doc: 'Pool size k or [kh, kw] (TensorFlow poolSize, default 2).' },
  {
    name: 'stride',
    type: 'pair',
    min: 1,
    defaultText: 'kernel_size',
    doc: 'Step between windows (TensorFlow strides, default: the pool size).',
  },
  {
    name: 'padding',
    type: 'enum',
    default: 'valid',
    values: ['valid', 'same'],
    doc: "'valid' (no padding) or 'same' (output ceil(H / stride), extra padding at the end).",
  },
] as const;

function inferTfPool(
  ctx: InferContext<AttrsOf<typeof params>>,
  average: boolean,
): InferResult<{ stride: Pair; count_include_pad?: false }> | undefined {
  const shape = requireRank4(ctx, 'pool');
  if (!shape) return undefined;
  const [n, c, h, w] = shape;
  const { kernel_size: kernel, stride = kernel, padding } = ctx.attrs;
  const geometry = computeWindowGeometry({ input: [h, w], kernel, stride, padding, dilation: [1, 1] });
  if (!reportWindowProblems(ctx, 'pool', geometry)) return undefined;
  const padded = geometry.h.padBefore + geometry.h.padAfter + geometry.w.padBefore + geometry.w.padAfter > 0;
  return {
    outputShape: [n, c, geometry.h.output, geometry.w.output],
    params: 0n,
    macs: 0n,
    geometry,
    receptiveField: windowRule(geometry),
    derived: { stride, ...(average ? { count_include_pad: false } : {}) },
    facts: [
      { label: 'H', value: formatAxisFormula(geometry.h) },
      { label: 'W', value: formatAxisFormula(geometry.w) },
      ...tfSamePaddingFacts(geometry),
      ...(average && padded
        ? [{ label: 'Divisor', value: 'TensorFlow averages over the input elements of each window only (the padding is not counted)' }]
        : []),
    ],
  };
}

export const tfMaxpool2d = defineKind({
  kind: 'tf_maxpool2d',
  torch: '(TensorFlow) tf.layers.maxPooling2d',
  doc: "TensorFlow max pooling: 'valid' or 'same' padding, stride = pool size by default.",
  frameworks: ['tfjs'],
  inputs: 'one',
  params,
  infer: (ctx) => inferTfPool(ctx, false),
});

export type TfMaxpool2dAttrs = KindAttrs<typeof tfMaxpool2d>;

export const tfAvgpool2d = defineKind({
  kind: 'tf_avgpool2d',
  torch: '(TensorFlow) tf.layers.averagePooling2d',
  doc: "TensorFlow average pooling: 'valid' or 'same' padding (padding not counted in the average).",
  frameworks: ['tfjs'],
  inputs: 'one',
  params,
  infer: (ctx) => inferTfPool(ctx, true),
});

export type TfAvgpool2dAttrs = KindAttrs<typeof tfAvgpool2d>;
