// COCO bounding-box evaluation, a faithful port of pycocotools' COCOeval (evaluate + accumulate)
// for iouType 'bbox' with the default parameters. "Faithful" includes the details that move the
// numbers: stable score sorting (ties keep results-list order, then image-id order across images),
// crowd regions matched repeatedly and ignored, the ground truth's `area` field (not w·h) deciding
// the small/medium/large split, detections truncated to 100 per image and category before
// anything else, precision computed as tp / (tp + fp + 2^-52), the envelope, and recall
// thresholds looked up with searchsorted(side='left'). test/unit/metrics-coco.test.ts checks it
// against pycocotools' own output to 1e-9.

import { iouXywh } from './boxes';
import type { EvaluationSteps } from './control';
import type { Detection, DetectionDataset, EvalCategory, GroundTruthObject } from './dataset';
import { COCO_RECALL_THRESHOLDS, firstIndexReaching, linspace, precisionEnvelopeInPlace } from './interpolation';

export type CocoAreaLabel = 'all' | 'small' | 'medium' | 'large';

export interface CocoAreaRange {
  label: CocoAreaLabel;
  /** Inclusive bounds on area, in squared pixels (an area of exactly 32² is both small and medium, as in pycocotools). */
  min: number;
  max: number;
}

/** IoU thresholds .50:.05:.95, built as numpy.linspace builds them (the ninth is 0.8999999999999999). */
export const COCO_IOU_THRESHOLDS: readonly number[] = Object.freeze(linspace(0.5, 0.95, 10));
export const COCO_AREA_RANGES: readonly CocoAreaRange[] = Object.freeze([
  { label: 'all', min: 0, max: 1e10 },
  { label: 'small', min: 0, max: 32 ** 2 },
  { label: 'medium', min: 32 ** 2, max: 96 ** 2 },
  { label: 'large', min: 96 ** 2, max: 1e10 },
]);
export const COCO_MAX_DETS: readonly number[] = Object.freeze([1, 10, 100]);

export interface CategoryCounts {
  /** Non-crowd ground-truth objects. */
  groundTruth: number;
  crowd: number;
  detections: number;
}

export interface CocoEvaluation {
  iouThresholds: readonly number[];
  recallThresholds: readonly number[];
  areaRanges: readonly CocoAreaRange[];
  maxDets: readonly number[];
  categories: readonly EvalCategory[];
  counts: readonly CategoryCounts[];
  /**
   * Interpolated precision, pycocotools' eval['precision'] of shape [T, R, K, A, M] flattened in
   * row-major order (see cocoPrecisionIndex); -1 where the category has no ground truth in that area range.
   */
  precision: Float64Array;
  /** Final recall, eval['recall'] of shape [T, K, A, M]; -1 as above. */
  recall: Float64Array;
  /** Score of the detection that sets each interpolated precision, eval['scores'] [T, R, K, A, M]. */
  scores: Float64Array;
}

export function cocoPrecisionIndex(e: CocoEvaluation, t: number, r: number, k: number, a: number, m: number): number {
  return (((t * e.recallThresholds.length + r) * e.categories.length + k) * e.areaRanges.length + a) * e.maxDets.length + m;
}

export function cocoRecallIndex(e: CocoEvaluation, t: number, k: number, a: number, m: number): number {
  return ((t * e.categories.length + k) * e.areaRanges.length + a) * e.maxDets.length + m;
}

/** One image and one category with at least one ground-truth object or detection. */
interface CellInput {
  image: number;
  groundTruth: GroundTruthObject[];
  detections: Detection[];
}

/** A detection's fate at one area range and IoU threshold. */
const FALSE_POSITIVE = 0;
const TRUE_POSITIVE = 1;
const IGNORED = 2;

/**
 * evaluateImg's output for every cell of one category, flattened: detections cell by cell in
 * image order, each cell's best-scored first and cut at the detection limit. This is exactly the
 * order in which accumulate() concatenates them before its stable sort.
 */
interface CategoryMatches {
  cellCount: number;
  scores: Float64Array;
  /** Rank of each detection within its cell (0 = highest score), for the maxDets cut. */
  rankInCell: Int32Array;
  /** outcome[(a·T + t)·N + i]: FALSE_POSITIVE, TRUE_POSITIVE or IGNORED. */
  outcome: Uint8Array;
  /** Per area range: ground-truth objects that count (not crowd, area inside the range). */
  countedGroundTruth: number[];
}

/** Yield to the driver after this many cells, so progress and cancellation are checked often but cheaply. */
const CELLS_PER_STEP = 64;
/** Share of the progress bar given to per-image matching; accumulation takes the rest. */
const MATCHING_SHARE = 0.85;

function groupCells(dataset: DetectionDataset): CellInput[][] {
  const byCategory = dataset.categories.map(() => new Map<number, CellInput>());
  const cellFor = (category: number, image: number): CellInput => {
    const cells = byCategory[category] as Map<number, CellInput>;
    let cell = cells.get(image);
    if (cell === undefined) {
      cell = { image, groundTruth: [], detections: [] };
      cells.set(image, cell);
    }
    return cell;
  };
  for (const gt of dataset.groundTruth) cellFor(gt.category, gt.image).groundTruth.push(gt);
  for (const det of dataset.detections) cellFor(det.category, det.image).detections.push(det);
  return byCategory.map((cells) => [...cells.values()].sort((a, b) => a.image - b.image));
}

/**
 * Indices ordered by descending score, equal scores by ascending index: numpy's stable
 * argsort(-score, kind='mergesort'), whatever the sort algorithm.
 */
function orderByScoreDescending(indices: number[], score: ArrayLike<number>): number[] {
  return indices.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
}

/** evaluateImg for one cell at every area range and IoU threshold, written into `out` from `offset`. */
function evaluateCell(
  cell: CellInput,
  e: Pick<CocoEvaluation, 'iouThresholds' | 'areaRanges'>,
  maxDet: number,
  out: CategoryMatches,
  offset: number,
): void {
  const gts = cell.groundTruth;
  const order = orderByScoreDescending(
    cell.detections.map((_, i) => i),
    cell.detections.map((d) => d.score),
  );
  const dts = order.slice(0, maxDet).map((i) => cell.detections[i] as Detection);
  const G = gts.length;
  const D = dts.length;
  const T = e.iouThresholds.length;
  const N = out.scores.length;
  const ious = new Float64Array(D * G);
  for (let d = 0; d < D; d++) {
    const dt = dts[d] as Detection;
    out.scores[offset + d] = dt.score;
    out.rankInCell[offset + d] = d;
    for (let g = 0; g < G; g++) {
      const gt = gts[g] as GroundTruthObject;
      ious[d * G + g] = iouXywh(dt.bbox, gt.bbox, gt.iscrowd);
    }
  }
  const gtTaken: number[] = new Array<number>(G);
  e.areaRanges.forEach((range, a) => {
    const gtIgnored = gts.map((g) => g.iscrowd || g.area < range.min || g.area > range.max);
    // Counted objects first, ignored ones last, each group in file order: once a detection has a
    // counted match, the scan stops at the first ignored object.
    const gtOrder = gts.map((_, i) => i).sort((x, y) => Number(gtIgnored[x]) - Number(gtIgnored[y]) || x - y);
    let counted = 0;
    for (const ignored of gtIgnored) if (!ignored) counted += 1;
    out.countedGroundTruth[a] = (out.countedGroundTruth[a] as number) + counted;
    for (let t = 0; t < T; t++) {
      gtTaken.fill(0);
      const base = (a * T + t) * N + offset;
      const threshold = Math.min(e.iouThresholds[t] as number, 1 - 1e-10);
      for (let d = 0; d < D; d++) {
        let best = threshold;
        let m = -1;
        for (let s = 0; s < G; s++) {
          const g = gtOrder[s] as number;
          if (gtTaken[s] === 1 && !(gts[g] as GroundTruthObject).iscrowd) continue;
          if (m > -1 && !gtIgnored[gtOrder[m] as number] && gtIgnored[g]) break;
          const iou = ious[d * G + g] as number;
          if (iou < best) continue;
          best = iou;
          m = s;
        }
        let outcome: number;
        if (m > -1) {
          gtTaken[m] = 1;
          outcome = gtIgnored[gtOrder[m] as number] ? IGNORED : TRUE_POSITIVE;
        } else {
          // Unmatched detections outside the area range are ignored too.
          const box = (dts[d] as Detection).bbox;
          const area = box[2] * box[3];
          outcome = area < range.min || area > range.max ? IGNORED : FALSE_POSITIVE;
        }
        out.outcome[base + d] = outcome;
      }
    }
  });
}

/** accumulate() for one category: fills its slices of precision, recall and scores. */
function accumulateCategory(e: CocoEvaluation, k: number, matches: CategoryMatches): void {
  if (matches.cellCount === 0) return;
  const T = e.iouThresholds.length;
  const R = e.recallThresholds.length;
  const N = matches.scores.length;
  e.maxDets.forEach((maxDet, m) => {
    // The top maxDet detections of every image, pooled, then sorted stably by score.
    const kept: number[] = [];
    for (let i = 0; i < N; i++) if ((matches.rankInCell[i] as number) < maxDet) kept.push(i);
    const order = orderByScoreDescending(kept, matches.scores);
    const n = order.length;
    const sortedScores = Float64Array.from(order, (i) => matches.scores[i] as number);
    const rc = new Float64Array(n);
    const pr = new Float64Array(n);
    e.areaRanges.forEach((_, a) => {
      const counted = matches.countedGroundTruth[a] as number;
      if (counted === 0) return;
      for (let t = 0; t < T; t++) {
        const base = (a * T + t) * N;
        let tp = 0;
        let fp = 0;
        for (let i = 0; i < n; i++) {
          const outcome = matches.outcome[base + (order[i] as number)];
          if (outcome === TRUE_POSITIVE) tp += 1;
          else if (outcome === FALSE_POSITIVE) fp += 1;
          rc[i] = tp / counted;
          pr[i] = tp / (fp + tp + Number.EPSILON);
        }
        e.recall[cocoRecallIndex(e, t, k, a, m)] = n > 0 ? (rc[n - 1] as number) : 0;
        precisionEnvelopeInPlace(pr);
        const at = firstIndexReaching(rc, e.recallThresholds);
        for (let r = 0; r < R; r++) {
          const i = at[r] as number;
          const index = cocoPrecisionIndex(e, t, r, k, a, m);
          e.precision[index] = i < 0 ? 0 : (pr[i] as number);
          e.scores[index] = i < 0 ? 0 : (sortedScores[i] as number);
        }
      }
    });
  });
}

/** The evaluation as steps: each yield is a progress fraction and a chance to cancel. */
export function* cocoEvaluationSteps(dataset: DetectionDataset): EvaluationSteps<CocoEvaluation> {
  const iouThresholds = COCO_IOU_THRESHOLDS;
  const areaRanges = COCO_AREA_RANGES;
  const maxDets = COCO_MAX_DETS;
  const maxDetLimit = maxDets[maxDets.length - 1] as number;
  const categories = dataset.categories;
  const K = categories.length;
  const T = iouThresholds.length;
  const R = COCO_RECALL_THRESHOLDS.length;
  const A = areaRanges.length;
  const M = maxDets.length;

  const counts: CategoryCounts[] = categories.map(() => ({ groundTruth: 0, crowd: 0, detections: 0 }));
  for (const gt of dataset.groundTruth) {
    const c = counts[gt.category] as CategoryCounts;
    if (gt.iscrowd) c.crowd += 1;
    else c.groundTruth += 1;
  }
  for (const det of dataset.detections) (counts[det.category] as CategoryCounts).detections += 1;

  const evaluation: CocoEvaluation = {
    iouThresholds,
    recallThresholds: COCO_RECALL_THRESHOLDS,
    areaRanges,
    maxDets,
    categories,
    counts,
    precision: new Float64Array(T * R * K * A * M).fill(-1),
    recall: new Float64Array(T * K * A * M).fill(-1),
    scores: new Float64Array(T * R * K * A * M).fill(-1),
  };

  const cellsByCategory = groupCells(dataset);
  const totalCells = cellsByCategory.reduce((n, cells) => n + cells.length, 0);
  let cellsDone = 0;
  const matchesByCategory: CategoryMatches[] = [];
  for (const cells of cellsByCategory) {
    const N = cells.reduce((n, cell) => n + Math.min(cell.detections.length, maxDetLimit), 0);
    const matches: CategoryMatches = {
      cellCount: cells.length,
      scores: new Float64Array(N),
      rankInCell: new Int32Array(N),
      outcome: new Uint8Array(A * T * N),
      countedGroundTruth: areaRanges.map(() => 0),
    };
    let offset = 0;
    for (const cell of cells) {
      evaluateCell(cell, evaluation, maxDetLimit, matches, offset);
      offset += Math.min(cell.detections.length, maxDetLimit);
      cellsDone += 1;
      if (cellsDone % CELLS_PER_STEP === 0) yield (MATCHING_SHARE * cellsDone) / totalCells;
    }
    matchesByCategory.push(matches);
  }

  for (let k = 0; k < K; k++) {
    accumulateCategory(evaluation, k, matchesByCategory[k] as CategoryMatches);
    yield MATCHING_SHARE + ((1 - MATCHING_SHARE) * (k + 1)) / K;
  }
  return evaluation;
}
