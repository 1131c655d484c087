// PyTorch broadcasting for the elementwise kinds (add, mul): shapes are aligned at their last
// axis; on each axis the sizes must be equal or one of them 1, and the output takes the larger.
// The shape rule for the analyzer and the index maps and reductions for the engine.

import { formatShape } from '../format';
import type { Shape } from '../types';
import { EngineError, tensor, type Tensor } from '../engine/tensor';
import type { InferContext } from './types';
import type { LayerFact } from '../analyze/analysis-types';

/** The broadcast shape, or the first pair of inputs (and the axis, from the left of the output) that clash. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): { shape: number[] } | { clash: [number, number]; axis: number } {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = new Array<number>(rank).fill(1);
  const owner: number[] = new Array<number>(rank).fill(-1);
  for (let i = 0; i < shapes.length; i++) {
    const s = shapes[i]!;
    for (let k = 0; k < s.length; k++) {
      const axis = rank - s.length + k;
      const d = s[k]!;
      if (d === out[axis] || d === 1) continue;
      if (out[axis] !== 1) return { clash: [owner[axis]!, i], axis };
      out[axis] = d;
      owner[axis] = i;
    }
  }
  return { shape: out };
}

/** The analyzer's rule: the broadcast shape, or an error quoting both shapes (code `<kind>.shape-mismatch`). */
export function inferBroadcast(ctx: InferContext, verb: string): Shape | undefined {
  const shapes = ctx.inputShapes;
  const result = broadcastShapes(shapes);
  if ('shape' in result) return result.shape;
  const [a, b] = result.clash;
  const sa = shapes[a]!,
    sb = shapes[b]!;
  const rank = Math.max(sa.length, sb.length);
  const da = sa[result.axis - (rank - sa.length)]!,
    db = sb[result.axis - (rank - sb.length)]!;
  const channels = sa.length === sb.length && result.axis === 1;
  const related = [a, b].flatMap((k) => {
    const range = ctx.inputOrigin(k);
    return range ? [{ message: `${ctx.inputNames[k]} outputs ${formatShape(shapes[k])}`, range }] : [];
  });
  const what = channels ? `${da} vs ${db} channels` : `dim ${result.axis - rank}: ${da} vs ${db}`;
  ctx.error(
    channels ? `${ctx.layer.kind}.channel-mismatch` : `${ctx.layer.kind}.shape-mismatch`,
    `${ctx.layer.name}: cannot ${verb} ${ctx.inputNames[a]} ${formatShape(sa)} and ${ctx.inputNames[b]} ${formatShape(sb)} (${what}): the shapes don't broadcast (sizes must be equal or 1, aligned from the last axis)`,
    ctx.layer.from?.refs[b]?.range ?? ctx.layer.kindRange,
    { related },
  );
  return undefined;
}

/** The hover fact "[1, 8, 1, 1] × [1, 8, 8, 8] → [1, 8, 8, 8]" when some input is broadcast (PyTorch files: NCHW as written). */
export function broadcastFacts(ctx: InferContext, outputShape: Shape, operator: string): LayerFact[] {
  const broadcast = ctx.inputShapes.some((s) => s.length !== outputShape.length || s.some((d, i) => d !== outputShape[i]));
  if (!broadcast || ctx.framework !== 'pytorch') return [];
  return [
    { label: 'broadcast', value: `${ctx.inputShapes.map((s) => formatShape(s)).join(` ${operator} `)} → ${formatShape(outputShape)}` },
  ];
}

/** For each element of `out` (row-major), the index of the element of `input` broadcast to it. */
export function broadcastIndex(out: readonly number[], input: readonly number[]): Int32Array {
  const rank = out.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let k = input.length - 1; k >= 0; k--) {
    const axis = rank - input.length + k;
    if (input[k] !== 1) strides[axis] = stride;
    stride *= input[k]!;
  }
  let total = 1;
  for (const d of out) total *= d;
  const index = new Int32Array(total);
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let o = 0; o < total; o++) {
    index[o] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]!++;
      offset += strides[axis]!;
      if (counter[axis]! < out[axis]!) break;
      offset -= strides[axis]! * counter[axis]!;
      counter[axis] = 0;
    }
  }
  return index;
}

/** The output shape for the engine, or an EngineError quoting the shapes. */
export function broadcastOrThrow(kind: string, inputs: readonly Tensor[]): number[] {
  const result = broadcastShapes(inputs.map((t) => t.shape));
  if (!('shape' in result))
    throw new EngineError(`${kind}: shapes ${inputs.map((t) => formatShape(t.shape)).join(' and ')} don't broadcast`);
  return result.shape;
}

/** The gradient of a broadcast input: `grad` (output-shaped) summed over the axes it was broadcast along. */
export function reduceToShape(grad: Tensor, shape: readonly number[]): Tensor {
  const out = tensor(shape);
  const index = broadcastIndex(grad.shape, shape);
  const g = grad.data;
  const d = out.data;
  for (let o = 0; o < index.length; o++) d[index[o]!] = d[index[o]!]! + g[o]!;
  return out;
}
