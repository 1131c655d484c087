// The parts of torch.chunk and torch.split along one dimension, and the shape rule they share.

import type { InferContext, InferResult } from '../types';

/** torch.chunk: parts of ceil(n / chunks), the last smaller; fewer than `chunks` parts when n runs out (chunk(5 into 4) = 2, 2, 1). */
export function chunkSizes(n: number, chunks: number): number[] {
  const size = Math.ceil(n / chunks);
  return splitSizes(n, size);
}

/** torch.split with an int: parts of `size`, the last smaller (one empty part when n is 0). */
export function splitSizes(n: number, size: number): number[] {
  if (n === 0) return [0];
  const sizes: number[] = [];
  for (let start = 0; start < n; start += size) sizes.push(Math.min(size, n - start));
  return sizes;
}

/** The analyzer's rule: dim checked and normalized, the input's shape as the whole, the parts as facts. */
export function inferParts(ctx: InferContext<{ dim: number }>, sizesOf: (n: number) => number[]): InferResult | undefined {
  const input = ctx.inputShapes[0]!;
  const rank = input.length;
  const written = ctx.attrs.dim;
  const dim = written < 0 ? written + rank : written;
  if (dim < 0 || dim >= rank) {
    ctx.error(
      `${ctx.layer.kind}.dim-out-of-range`,
      `${ctx.layer.name}: dim ${written} is out of range for a ${rank}-D input (expected ${-rank}..${rank - 1})`,
      ctx.rangeOf('dim'),
    );
    return undefined;
  }
  const sizes = sizesOf(input[dim]!);
  const shapes = sizes.map((size) => input.map((d, k) => (k === dim ? size : d)));
  return {
    outputShape: [...input],
    params: 0n,
    macs: 0n,
    receptiveField: { type: 'preserve' },
    outputParts: { dim, sizes },
    facts: [{ label: 'outputs', value: shapes.map((s, k) => `${ctx.layer.name}.${k} [${s.join(', ')}]`).join(', ') }],
    derived: { dim },
  };
}
