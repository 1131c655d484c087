// The one formatter: the CLI, hovers and diagnostics all print numbers through these functions,
// so the same quantity reads the same everywhere.

import type { TransposedAxis, WindowAxis } from './geometry';
import type { ReceptiveField } from './analyze/analysis-types';
import type { Shape } from './types';

const MINUS = '−';

/** An integer with a Unicode minus sign, so formulas read like math. */
export function formatSigned(n: number): string {
  return n < 0 ? `${MINUS}${-n}` : String(n);
}

/** A possibly fractional number: exact integers as is, otherwise two decimals. */
export function formatReal(x: number): string {
  if (Number.isInteger(x)) return formatSigned(x);
  const rounded = Math.round(x * 100) / 100;
  const text = Math.abs(rounded).toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  const approx = rounded === x ? '' : '≈';
  return `${approx}${x < 0 ? MINUS : ''}${text}`;
}

export function formatShape(shape: Readonly<Shape> | null | undefined): string {
  if (!shape) return '?';
  return `[${shape.join(', ')}]`;
}

/** 11689512 → "11,689,512". */
export function formatInteger(n: bigint | number): string {
  const s = (typeof n === 'bigint' ? n : BigInt(Math.round(n))).toString();
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `${MINUS}${grouped}` : grouped;
}

const SI = [
  { exp: 12n, suffix: 'T' },
  { exp: 9n, suffix: 'G' },
  { exp: 6n, suffix: 'M' },
  { exp: 3n, suffix: 'K' },
];

/** Human units with two decimals: 11689512 → "11.69 M", 1814073344 → "1.81 G". */
export function formatSi(n: bigint, unit = ''): string {
  const abs = n < 0n ? -n : n;
  for (const { exp, suffix } of SI) {
    const scale = 10n ** exp;
    if (abs >= scale) {
      // Round half up at two decimals, in exact integer arithmetic.
      const hundredths = (abs * 100n + scale / 2n) / scale;
      const text = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
      return `${n < 0n ? MINUS : ''}${text} ${suffix}${unit}`;
    }
  }
  return `${n < 0n ? MINUS : ''}${abs} ${unit}`.trimEnd();
}

export function formatParams(n: bigint): string {
  return n < 1000n ? `${n} params` : `${formatSi(n)} params`;
}

export function formatMacs(n: bigint): string {
  return formatSi(n, 'MACs');
}

export function formatFlops(macs: bigint): string {
  return formatSi(2n * macs, 'FLOPs');
}

const BINARY = ['KiB', 'MiB', 'GiB', 'TiB'];

/** 3211264 → "3.06 MiB". */
export function formatBytes(n: bigint): string {
  if (n < 1024n) return `${n} B`;
  let unit = -1;
  let scale = 1n;
  while (unit < BINARY.length - 1 && n >= scale * 1024n) {
    scale *= 1024n;
    unit++;
  }
  const hundredths = (n * 100n + scale / 2n) / scale;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')} ${BINARY[unit]}`;
}

/** The padding terms of the numerator: "2·3", or "1 + 2" when the two sides differ. */
function paddingTerms(axis: WindowAxis): string {
  if (axis.padBefore === axis.padAfter) return `2·${axis.padBefore}`;
  return `${axis.padBefore} + ${axis.padAfter}`;
}

/** The kernel terms: "7" (dilation 1), or "2·(3−1) − 1" with dilation. */
function kernelTerms(axis: WindowAxis): string {
  if (axis.dilation === 1) return `${MINUS} ${axis.kernel}`;
  return `${MINUS} ${axis.dilation}·(${axis.kernel}${MINUS}1) ${MINUS} 1`;
}

/**
 * The output-size formula with the user's numbers worked out, e.g.
 * `(224 + 2·3 − 7) / 2 + 1 = 112.5 → 112`. Pooling's ceil_mode shows `⌈…⌉` and PyTorch's
 * last-window correction.
 */
export function formatAxisFormula(axis: WindowAxis): string {
  const lhs = `(${axis.input} + ${paddingTerms(axis)} ${kernelTerms(axis)}) / ${axis.stride} + 1`;
  const exact = formatReal(axis.exactOutput);
  if (axis.exact) return `${lhs} = ${exact}`;
  if (!axis.ceilMode) return `${lhs} = ${exact} → ${formatSigned(axis.output)}`;
  if (axis.ceilAdjusted) {
    return `${lhs} = ${exact} → ⌈⌉ ${formatSigned(axis.output + 1)} − 1 = ${formatSigned(axis.output)} (the last window would start in the right padding)`;
  }
  return `${lhs} = ${exact} → ⌈⌉ ${formatSigned(axis.output)}`;
}

/** `(7 − 1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 14` for a transposed convolution. */
export function formatTransposedFormula(axis: TransposedAxis): string {
  const terms = [`(${axis.input} ${MINUS} 1)·${axis.stride}`, `${MINUS} 2·${axis.padding}`, `+ ${axis.dilation}·(${axis.kernel}${MINUS}1)`];
  if (axis.outputPadding !== 0) terms.push(`+ ${axis.outputPadding}`);
  terms.push('+ 1');
  return `${terms.join(' ')} = ${formatSigned(axis.output)}`;
}

/** "1 row" / "3 columns". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** "a, b or c" */
export function listOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function pairText(values: [number, number]): string {
  return values[0] === values[1] ? formatReal(values[0]) : `${formatReal(values[0])} × ${formatReal(values[1])}`;
}

/** "11 × 11 input pixels, jump 4, first centre at (5.5, 5.5)". */
export function formatReceptiveField(rf: ReceptiveField): string {
  return `${formatReal(rf.size[0])} × ${formatReal(rf.size[1])} input pixels, jump ${pairText(rf.jump)}, first centre at (${formatReal(rf.start[0])}, ${formatReal(rf.start[1])})`;
}
