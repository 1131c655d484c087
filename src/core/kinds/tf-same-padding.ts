// TensorFlow's 'same' padding puts the odd pixel at the end. A PyTorch user porting a model
// expects symmetric padding; this fact says where the two disagree, in numbers, for the hover.
// Only for framework 'tfjs': PyTorch's own 'same' (stride 1) also puts the odd pixel at the end.
// Used by the TensorFlow-specific kinds, and by conv2d once it calls it for framework 'tfjs'.

import type { LayerFact } from '../analyze/analysis-types';
import { floorDiv, type WindowAxis, type WindowGeometry } from '../geometry';

/** Output length with the same padding p on both sides. */
function symmetricOutput(axis: WindowAxis, p: number): number {
  return floorDiv(axis.input + 2 * p - axis.effectiveKernel, axis.stride) + 1;
}

function describeAxis(axis: WindowAxis): string {
  const before = axis.padBefore;
  const after = axis.padAfter;
  const low = symmetricOutput(axis, before);
  const high = symmetricOutput(axis, after);
  const lowText = `symmetric padding ${before} would give ${low}${low === axis.output ? '' : ` instead of ${axis.output}`}`;
  const highText =
    high === axis.output
      ? `symmetric ${after} gives ${high} too, but every window starts one pixel earlier than in TensorFlow (ported weights would see a shifted image)`
      : `symmetric ${after} would give ${high}`;
  return `pads ${before} before and ${after} after; ${lowText}; ${highText}`;
}

/**
 * One fact per asymmetric 'same' axis (a single fact when H and W agree), or none when the
 * padding is symmetric or not 'same'.
 */
export function tfSamePaddingFacts(geometry: WindowGeometry): LayerFact[] {
  const asymmetric = (a: WindowAxis) => a.paddingMode === 'same' && a.padBefore !== a.padAfter;
  const { h, w } = geometry;
  const sameTerms =
    h.input === w.input &&
    h.padBefore === w.padBefore &&
    h.padAfter === w.padAfter &&
    h.stride === w.stride &&
    h.effectiveKernel === w.effectiveKernel;
  if (asymmetric(h) && asymmetric(w) && sameTerms) return [{ label: 'TF same', value: `H and W: ${describeAxis(h)}` }];
  const facts: LayerFact[] = [];
  if (asymmetric(h)) facts.push({ label: 'TF same', value: `H: ${describeAxis(h)}` });
  if (asymmetric(w)) facts.push({ label: 'TF same', value: `W: ${describeAxis(w)}` });
  return facts;
}
