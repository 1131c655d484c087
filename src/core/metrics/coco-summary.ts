// The numbers people quote from a COCO evaluation: pycocotools' 12 summary values (overall and
// per category) and per-category precision/recall curves, read off a CocoEvaluation.

import type { CocoAreaLabel, CocoEvaluation } from './coco-eval';
import { cocoPrecisionIndex, cocoRecallIndex } from './coco-eval';

export const COCO_SUMMARY_NAMES = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'] as const;
export type CocoSummaryName = (typeof COCO_SUMMARY_NAMES)[number];
/** Each value is a mean over the selected settings, or -1 where nothing was defined (pycocotools' convention). */
export type CocoSummary = Record<CocoSummaryName, number>;

export interface CocoSummarySpec {
  name: CocoSummaryName;
  measure: 'precision' | 'recall';
  /** undefined: averaged over all IoU thresholds. */
  iouThreshold: number | undefined;
  area: CocoAreaLabel;
  maxDets: number;
}

/** The order and settings of pycocotools' summarize() for bbox (_summarizeDets). */
export const COCO_SUMMARY_SPECS: readonly CocoSummarySpec[] = [
  { name: 'AP', measure: 'precision', iouThreshold: undefined, area: 'all', maxDets: 100 },
  { name: 'AP50', measure: 'precision', iouThreshold: 0.5, area: 'all', maxDets: 100 },
  { name: 'AP75', measure: 'precision', iouThreshold: 0.75, area: 'all', maxDets: 100 },
  { name: 'APs', measure: 'precision', iouThreshold: undefined, area: 'small', maxDets: 100 },
  { name: 'APm', measure: 'precision', iouThreshold: undefined, area: 'medium', maxDets: 100 },
  { name: 'APl', measure: 'precision', iouThreshold: undefined, area: 'large', maxDets: 100 },
  { name: 'AR1', measure: 'recall', iouThreshold: undefined, area: 'all', maxDets: 1 },
  { name: 'AR10', measure: 'recall', iouThreshold: undefined, area: 'all', maxDets: 10 },
  { name: 'AR100', measure: 'recall', iouThreshold: undefined, area: 'all', maxDets: 100 },
  { name: 'ARs', measure: 'recall', iouThreshold: undefined, area: 'small', maxDets: 100 },
  { name: 'ARm', measure: 'recall', iouThreshold: undefined, area: 'medium', maxDets: 100 },
  { name: 'ARl', measure: 'recall', iouThreshold: undefined, area: 'large', maxDets: 100 },
];

function indicesWhere<T>(values: readonly T[], keep: (value: T) => boolean): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (keep(v)) out.push(i);
  });
  return out;
}

/**
 * One summary value: the mean of every defined (> -1) precision or recall entry in the selected
 * settings, over all categories or only `category` (an index into e.categories); -1 if none.
 */
export function cocoSummaryValue(e: CocoEvaluation, spec: CocoSummarySpec, category?: number): number {
  // Exact comparison, as pycocotools' np.where(iouThr == p.iouThrs).
  const ts = indicesWhere(e.iouThresholds, (t) => spec.iouThreshold === undefined || t === spec.iouThreshold);
  const as = indicesWhere(e.areaRanges, (r) => r.label === spec.area);
  const ms = indicesWhere(e.maxDets, (m) => m === spec.maxDets);
  const ks = category === undefined ? e.categories.map((_, k) => k) : [category];
  let sum = 0;
  let count = 0;
  const add = (value: number): void => {
    if (value > -1) {
      sum += value;
      count += 1;
    }
  };
  for (const t of ts) {
    for (const k of ks) {
      for (const a of as) {
        for (const m of ms) {
          if (spec.measure === 'recall') add(e.recall[cocoRecallIndex(e, t, k, a, m)] as number);
          else for (let r = 0; r < e.recallThresholds.length; r++) add(e.precision[cocoPrecisionIndex(e, t, r, k, a, m)] as number);
        }
      }
    }
  }
  return count === 0 ? -1 : sum / count;
}

export function cocoSummary(e: CocoEvaluation, category?: number): CocoSummary {
  const out = {} as CocoSummary;
  for (const spec of COCO_SUMMARY_SPECS) out[spec.name] = cocoSummaryValue(e, spec, category);
  return out;
}

export interface CocoClassResult {
  categoryId: number;
  name: string;
  /** Non-crowd ground-truth objects, crowd regions and detections of this category. */
  groundTruth: number;
  crowd: number;
  detections: number;
  summary: CocoSummary;
}

export function cocoPerClass(e: CocoEvaluation): CocoClassResult[] {
  return e.categories.map((category, k) => {
    const counts = e.counts[k] ?? { groundTruth: 0, crowd: 0, detections: 0 };
    return { categoryId: category.id, name: category.name, ...counts, summary: cocoSummary(e, k) };
  });
}

/** Mean of the defined per-class AP values (-1 if none); equals summary AP up to rounding. */
export function meanAveragePrecision(perClassAp: readonly number[]): number {
  const defined = perClassAp.filter((ap) => ap > -1);
  return defined.length === 0 ? -1 : defined.reduce((s, ap) => s + ap, 0) / defined.length;
}

export interface PrecisionRecallCurve {
  recall: number[];
  precision: number[];
  /** Score threshold at each point (the score of the detection that reaches that recall); 0 past the curve's end. */
  scores: number[];
}

/** One category's interpolated PR curve at the 101 recall thresholds; undefined when it has no ground truth there. */
export function cocoPrecisionRecallCurve(
  e: CocoEvaluation,
  category: number,
  options: { iouThreshold?: number; area?: CocoAreaLabel; maxDets?: number } = {},
): PrecisionRecallCurve | undefined {
  const t = e.iouThresholds.indexOf(options.iouThreshold ?? 0.5);
  const a = e.areaRanges.findIndex((r) => r.label === (options.area ?? 'all'));
  const m = e.maxDets.indexOf(options.maxDets ?? 100);
  if (t < 0 || a < 0 || m < 0 || category < 0 || category >= e.categories.length) return undefined;
  if ((e.recall[cocoRecallIndex(e, t, category, a, m)] as number) === -1) return undefined;
  const curve: PrecisionRecallCurve = { recall: [...e.recallThresholds], precision: [], scores: [] };
  for (let r = 0; r < e.recallThresholds.length; r++) {
    const index = cocoPrecisionIndex(e, t, r, category, a, m);
    curve.precision.push(e.precision[index] as number);
    curve.scores.push(e.scores[index] as number);
  }
  return curve;
}
