// The diagnostics both TypeScript front ends share: "this value is unknown without running the
// file" (an info, never an error: the code may well be right), with the expression quoted.

import type * as TS from 'typescript';
import type { Diagnostic } from '../../types';
import type { Unresolved } from './evaluate';
import type { TsSource } from './source';

export const UNRESOLVED_CODE = 'ts.unresolved';
/** A value over the static evaluator's limits (see VALUE_LIMITS in ./values.ts). */
export const LIMIT_CODE = 'ts.limit';

export interface UnresolvedOptions {
  layer?: string;
  /** What the value is for, e.g. "filters". */
  what?: string;
  /** What is unknown as a result; defaults to the layer's shape and everything after it. */
  consequence?: string;
}

/**
 * `conv1: filters `f` → `compute()` is a function call, and ConvLens never runs model files: its
 * output shape and every shape after it are unknown`, on `at` (the property's value); where the
 * culprit lies elsewhere (a const's initializer), related information points at it.
 */
export function unresolvedDiagnostic(source: TsSource, unresolved: Unresolved, at: TS.Node, options: UnresolvedOptions = {}): Diagnostic {
  const culprit = unresolved.node;
  const inside = culprit.getStart(source.file) >= at.getStart(source.file) && culprit.getEnd() <= at.getEnd();
  const via = culprit === at ? '' : `\`${source.quote(at)}\` → `;
  const prefix = options.layer !== undefined ? `${options.layer}: ` : '';
  const what = options.what ? `${options.what} ` : '';
  const consequence = options.consequence ?? 'its output shape and every shape after it are unknown';
  return {
    severity: unresolved.limit ? 'error' : 'info',
    code: unresolved.limit ? LIMIT_CODE : UNRESOLVED_CODE,
    message: unresolved.limit
      ? `${prefix}${what}${via}\`${source.quote(culprit)}\` ${unresolved.reason}: ${consequence}`
      : `${prefix}${what}${via}\`${source.quote(culprit)}\` ${unresolved.reason}, and ConvLens never runs model files: ${consequence}`,
    range: source.range(at),
    ...(options.layer !== undefined ? { layer: options.layer } : {}),
    ...(!inside ? { related: [{ message: `\`${source.quote(culprit)}\` is here`, range: source.range(culprit) }] } : {}),
  };
}
