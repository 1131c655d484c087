// Max and average pooling share PyTorch's pooling rules: stride defaults to kernel_size,
// padding at most half the kernel, and ceil_mode's last-window correction (in the geometry).

import { computeWindowGeometry } from '../geometry';
import { formatAxisFormula } from '../format';
import { reportWindowProblems, requireRank4, windowRule } from './common';
import type { InferContext, InferResult, Pair } from './types';

/** What maxpool2d and avgpool2d share. */
export type PoolAttrs = {
  kernel_size: Pair;
  stride?: Pair;
  padding: Pair;
  dilation?: Pair;
  ceil_mode: boolean;
};

export function inferPool(ctx: InferContext<PoolAttrs>, hasDilation: boolean): InferResult<{ stride: Pair }> | undefined {
  const shape = requireRank4(ctx, 'pool');
  if (!shape) return undefined;
  const [n, c, h, w] = shape;
  const { kernel_size: kernel, stride = kernel, padding } = ctx.attrs;
  for (const i of [0, 1] as const) {
    const half = Math.floor(kernel[i] / 2);
    if (padding[i] > half) {
      const fix = ctx.setParamFix(`Set padding to ${half}`, 'padding', String(half), true);
      ctx.error(
        'pool.padding-too-large',
        `${ctx.layer.name}: padding ${padding[i]} is larger than half the kernel (${kernel[i]} / 2 = ${half}); PyTorch refuses it`,
        ctx.rangeOf('padding'),
        { fixes: fix ? [fix] : undefined },
      );
      return undefined;
    }
  }
  const geometry = computeWindowGeometry({
    input: [h, w],
    kernel,
    stride,
    padding,
    dilation: hasDilation && ctx.attrs.dilation ? ctx.attrs.dilation : [1, 1],
    ceilMode: ctx.attrs.ceil_mode,
  });
  if (!reportWindowProblems(ctx, 'pool', geometry)) return undefined;
  return {
    outputShape: [n, c, geometry.h.output, geometry.w.output],
    params: 0n,
    macs: 0n,
    geometry,
    receptiveField: windowRule(geometry),
    derived: { stride },
    facts: [
      { label: 'H', value: formatAxisFormula(geometry.h) },
      { label: 'W', value: formatAxisFormula(geometry.w) },
    ],
  };
}
