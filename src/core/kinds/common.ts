// Checks shared by several layer kinds: input rank, written channel counts, and the diagnostics
// every sliding window (conv or pool) can raise from its geometry record.

import { exactPaddings, type WindowAxis, type WindowGeometry } from '../geometry';
import { formatAxisFormula, formatShape, listOr, plural } from '../format';
import type { Fix } from '../types';
import type { InferContext, ReceptiveFieldRule } from './types';

export type { Pair } from './types';

/** Requires an [N, C, H, W] input; reports `<family>.input-rank` otherwise. */
export function requireRank4(ctx: InferContext, family: string): [number, number, number, number] | undefined {
  const shape = ctx.inputShapes[0]!;
  if (shape.length !== 4) {
    ctx.error(
      `${family}.input-rank`,
      `${ctx.layer.name}: ${ctx.layer.kind} expects a 4-D input [N, C, H, W], got ${formatShape(shape)} (${shape.length}-D)`,
      ctx.layer.kindRange,
      { related: relatedInput(ctx, 0, `${ctx.inputNames[0]} outputs ${formatShape(shape)}`) },
    );
    return undefined;
  }
  return shape as [number, number, number, number];
}

export function relatedInput(ctx: InferContext, index: number, message: string) {
  const range = ctx.inputOrigin(index);
  return range ? [{ message, range }] : undefined;
}

/**
 * A written `in_channels` / `in_features` / `num_features` must equal what the previous layer
 * produces. Returns false (after reporting) on a mismatch.
 */
export function checkWrittenCount(ctx: InferContext, param: string, actual: number, code: string, what: string): boolean {
  if (!ctx.has(param)) return true;
  const written = ctx.attrs[param];
  if (written === actual) return true;
  const fix = ctx.setParamFix(`Set ${param} to ${actual}`, param, String(actual), true);
  ctx.error(
    code,
    `${ctx.layer.name}: ${param} is ${written}, but the input ${ctx.inputNames[0]} has ${actual} ${what}`,
    ctx.rangeOf(param),
    { fixes: fix ? [fix] : undefined, related: relatedInput(ctx, 0, `${ctx.inputNames[0]} outputs ${formatShape(ctx.inputShapes[0])}`) },
  );
  return false;
}

const AXES = [
  ['h', 'height', 'row', 'rows'],
  ['w', 'width', 'column', 'columns'],
] as const;

/**
 * Reports what a window geometry says is wrong or lossy. Returns false when the output size is
 * not positive (an error: the shape is then unknown).
 */
export function reportWindowProblems(ctx: InferContext, family: string, geometry: WindowGeometry): boolean {
  let ok = true;
  for (const [key, dimName, unit, units] of AXES) {
    const axis: WindowAxis = geometry[key];
    if (axis.output <= 0) {
      ok = false;
      ctx.error(
        `${family}.non-positive-output`,
        `${ctx.layer.name}: output ${dimName} ${formatAxisFormula(axis)} is not positive: the ${axis.dilation > 1 ? `effective kernel ${axis.effectiveKernel}` : `kernel ${axis.kernel}`} is larger than the padded input ${dimName} ${axis.input + axis.padBefore + axis.padAfter}`,
        ctx.has('kernel_size') ? ctx.rangeOf('kernel_size') : ctx.layer.kindRange,
      );
      continue;
    }
    // Rows a stride larger than the window skips anyway are not a rounding loss: warn only when
    // flooring drops more input than the regular gap between windows.
    const regularGap = Math.max(0, axis.stride - axis.effectiveKernel);
    if (!axis.exact && !axis.ceilMode && axis.trailingUnread > regularGap) {
      const fixes: Fix[] = [];
      const paddings = axis.paddingMode === 'explicit' ? exactPaddings(axis, Math.floor(axis.kernel / 2) + axis.stride) : [];
      const other = key === 'h' ? geometry.w : geometry.h;
      const uniform = paddings.filter(
        (p) => other.paddingMode !== 'explicit' || (other.input + 2 * p - other.effectiveKernel) % other.stride === 0,
      );
      for (const p of uniform.slice(0, 2)) {
        if (family === 'pool' && p > Math.floor(axis.kernel / 2)) continue;
        const fix = ctx.setParamFix(`Set padding to ${p} (makes the division exact)`, 'padding', String(p), fixes.length === 0);
        if (fix) fixes.push(fix);
      }
      const hint =
        paddings.length > 0
          ? `; padding ${listOr(paddings.slice(0, 3).map(String))} would make it exact`
          : `; no symmetric padding makes it exact with stride ${axis.stride}`;
      ctx.warning(
        `${family}.inexact-division`,
        `${ctx.layer.name}: output ${dimName} ${formatAxisFormula(axis).replace(/ → .*/, '')} is not an integer; ${ctx.framework === 'tfjs' ? 'TensorFlow' : 'PyTorch'} floors it to ${axis.output} and the last ${plural(axis.trailingUnread, unit, units)} of the input ${axis.trailingUnread === 1 ? 'is' : 'are'} never read${hint}`,
        ctx.has('stride') ? ctx.rangeOf('stride') : ctx.layer.kindRange,
        { fixes },
      );
    }
  }
  return ok;
}

export function windowRule(geometry: WindowGeometry): ReceptiveFieldRule {
  return { type: 'window', geometry };
}
