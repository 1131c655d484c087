// The three standard ways of turning a precision/recall curve into an average precision.
// Inputs are the curve's points in detection order (score descending): recall is
// non-decreasing, precision arbitrary. Hand-worked examples are in test/unit/metrics-voc.test.ts.

/**
 * numpy.linspace(start, stop, num) bit for bit: `i·step + start`, the last point exactly `stop`.
 * pycocotools builds its thresholds this way, and the recall thresholds are compared with `>=`
 * against computed recalls, so 0.07 must be the same double as in pycocotools.
 */
export function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(i * step + start);
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** COCO's 101 recall thresholds 0:.01:1. */
export const COCO_RECALL_THRESHOLDS: readonly number[] = Object.freeze(linspace(0, 1, 101));

/**
 * Replaces each precision with the maximum precision at any later point (the "envelope", which
 * makes the curve non-increasing), in place, as pycocotools and the VOC devkit both do.
 */
export function precisionEnvelopeInPlace(precision: number[] | Float64Array): void {
  for (let i = precision.length - 1; i > 0; i--) {
    const later = precision[i] as number;
    if (later > (precision[i - 1] as number)) precision[i - 1] = later;
  }
}

/**
 * For each threshold, the first curve index whose recall reaches it (numpy.searchsorted
 * side='left'); -1 where the curve never reaches the threshold. Thresholds must be ascending.
 */
export function firstIndexReaching(recall: ArrayLike<number>, thresholds: readonly number[]): Int32Array {
  const out = new Int32Array(thresholds.length).fill(-1);
  let j = 0;
  for (let r = 0; r < thresholds.length; r++) {
    const threshold = thresholds[r] as number;
    while (j < recall.length && (recall[j] as number) < threshold) j++;
    if (j === recall.length) break;
    out[r] = j;
  }
  return out;
}

/**
 * COCO's interpolated precision at each recall threshold: the envelope's value at the first point
 * whose recall reaches the threshold, 0 past the curve's final recall.
 */
export function cocoInterpolatedPrecision(
  recall: ArrayLike<number>,
  precision: ArrayLike<number>,
  recallThresholds: readonly number[] = COCO_RECALL_THRESHOLDS,
): Float64Array {
  const envelope = Float64Array.from(precision);
  precisionEnvelopeInPlace(envelope);
  const at = firstIndexReaching(recall, recallThresholds);
  return Float64Array.from(at, (i) => (i < 0 ? 0 : (envelope[i] as number)));
}

/** COCO-style AP for one curve: the mean of the 101 interpolated precisions. */
export function apCoco101(recall: ArrayLike<number>, precision: ArrayLike<number>): number {
  const q = cocoInterpolatedPrecision(recall, precision);
  let sum = 0;
  for (const v of q) sum += v;
  return sum / q.length;
}

/**
 * PASCAL VOC 2007 11-point AP: the mean over t = 0, 0.1, …, 1 of the highest precision at any
 * recall ≥ t (0 when recall never reaches t). Thresholds are i/10, the doubles nearest the
 * intended values (the devkit's `0:0.1:1` accumulates 0.30000000000000004 and so on).
 */
export function apVoc07(recall: ArrayLike<number>, precision: ArrayLike<number>): number {
  let ap = 0;
  for (let i = 0; i <= 10; i++) {
    const t = i / 10;
    let best = 0;
    for (let j = 0; j < recall.length; j++) {
      if ((recall[j] as number) >= t && (precision[j] as number) > best) best = precision[j] as number;
    }
    ap += best / 11;
  }
  return ap;
}

/**
 * PASCAL VOC 2010+ AP: the exact area under the precision envelope, with the curve closed by
 * (recall 0, precision 0) before and (recall 1, precision 0) after, summing rectangles where
 * recall changes (VOCdevkit VOCap.m).
 */
export function apVocAllPoint(recall: ArrayLike<number>, precision: ArrayLike<number>): number {
  const n = recall.length;
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  for (let i = 0; i < n; i++) {
    mrec[i + 1] = recall[i] as number;
    mpre[i + 1] = precision[i] as number;
  }
  mrec[n + 1] = 1;
  precisionEnvelopeInPlace(mpre);
  let ap = 0;
  for (let i = 1; i < n + 2; i++) {
    const step = (mrec[i] as number) - (mrec[i - 1] as number);
    if (step !== 0) ap += step * (mpre[i] as number);
  }
  return ap;
}
