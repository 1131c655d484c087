// torch.nn.Linear on the last dimension: in_features = input.shape[-1].

import { formatShape } from '../../format';
import { checkWrittenCount, relatedInput } from '../common';
import { defineKind, type InferContext, type KindAttrs, type ParamSpec } from '../types';

export const linear = defineKind({
  kind: 'linear',
  torch: 'torch.nn.Linear',
  doc: 'Fully connected layer on the last dimension.',
  inputs: 'one',
  params: [
    { name: 'out_features', type: 'int', required: true, min: 1, doc: 'Output size.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Adds a learnable bias.' },
    { name: 'in_features', type: 'int', min: 1, doc: 'Optional: checked against the last input dimension.' },
  ],
  infer(ctx) {
    const shape = ctx.inputShapes[0]!;
    // PyTorch applies Linear to the last dimension of any tensor; TensorFlow's dense likewise
    // (the last dimension is channels in NHWC). After a 4-D tensor that is almost always a
    // forgotten flatten, but it is not an error unless in_features says otherwise.
    const lastAxis = ctx.framework === 'tfjs' && shape.length === 4 ? 1 : shape.length - 1;
    const inFeatures = shape[lastAxis]!;
    if (shape.length >= 3) {
      const flatSize = shape.slice(1).reduce((a, b) => a * b, 1);
      const written = ctx.has('in_features') ? ctx.attrs.in_features : undefined;
      const flattenFix = insertFlattenFix(ctx);
      const fixes = flattenFix ? [flattenFix] : [];
      const dimName = ctx.framework === 'tfjs' ? 'channels' : 'last dimension';
      if (written !== undefined && written !== inFeatures) {
        ctx.error(
          'linear.unflattened-input',
          `${ctx.layer.name}: input ${formatShape(shape)} is ${shape.length}-D; Linear acts on its ${dimName} (${inFeatures}), not the in_features ${written} written${written === flatSize ? ` (that is the flattened size: add a flatten layer)` : ''}`,
          ctx.rangeOf('in_features'),
          { fixes, related: relatedInput(ctx, 0, `${ctx.inputNames[0]} outputs ${formatShape(shape)}`) },
        );
        return undefined;
      }
      ctx.warning(
        'linear.unflattened-input',
        `${ctx.layer.name}: input ${formatShape(shape)} is ${shape.length}-D without a flatten; Linear acts on its ${dimName} only (${inFeatures} features), not on all ${flatSize}`,
        ctx.layer.kindRange,
        { fixes, related: relatedInput(ctx, 0, `${ctx.inputNames[0]} outputs ${formatShape(shape)}`) },
      );
    } else if (!checkWrittenCount(ctx, 'in_features', inFeatures, 'linear.in-features-mismatch', 'features')) {
      return undefined;
    }
    const out = ctx.attrs.out_features;
    const rows = shape.reduce((a, b) => a * b, 1) / inFeatures;
    const outputShape = [...shape];
    outputShape[lastAxis] = out;
    return {
      outputShape,
      macs: BigInt(rows) * BigInt(inFeatures) * BigInt(out),
      receptiveField: shape.length >= 3 ? { type: 'preserve' } : { type: 'global' },
      derived: { in_features: inFeatures },
    };
  },
  // in_features is derived from the axis the layer acts on (channels for a 4-D TensorFlow tensor, else the last).
  paramTensors(attrs) {
    const inF = attrs.in_features,
      outF = attrs.out_features;
    const bound = inF > 0 ? 1 / Math.sqrt(inF) : 0;
    const tensors: ParamSpec[] = [{ name: 'weight', shape: [outF, inF], init: { kind: 'uniform', bound } }];
    if (attrs.bias) tensors.push({ name: 'bias', shape: [outF], init: { kind: 'uniform', bound } });
    return tensors;
  },
});

export type LinearAttrs = KindAttrs<typeof linear>;

/**
 * A fix that inserts a flatten layer before this one, at the list item's indentation. When the
 * layer reads its input through `from`, the flatten takes over that reference and the layer reads
 * the flatten instead.
 */
function insertFlattenFix(ctx: InferContext) {
  const start = ctx.layer.range.start;
  if (ctx.layer.itemIndent === undefined) return undefined;
  const indent = ' '.repeat(ctx.layer.itemIndent);
  const from = ctx.layer.from;
  if (!from) {
    return {
      title: 'Insert a flatten layer before this one',
      preferred: true,
      edits: [{ range: { start, end: start }, newText: `flatten: {}\n${indent}- ` }],
    };
  }
  const name = `${ctx.layer.name}_flatten`;
  const source = ctx.inputNames[0] ?? 'input';
  return {
    title: `Insert a flatten layer (${name}) between ${source} and this layer`,
    preferred: true,
    edits: [
      { range: { start, end: start }, newText: `name: ${name}\n${indent}  flatten: {}\n${indent}  from: ${source}\n${indent}- ` },
      { range: from.range, newText: name },
    ],
  };
}
