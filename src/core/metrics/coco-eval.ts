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

/** evaluateImg's output for one cell, for every area range at once. */
interface CellResult {
  /** Scores of the kept detections, highest first. */
  scores: Float64Array;
  /** Per area range: T×D flags (t-major), matched to a ground-truth object at IoU threshold t. */
  matched: Uint8Array[];
  /** Per area range: T×D flags, ignored (matched to an ignored object, or unmatched and outside the area range). */
  ignored: Uint8Array[];
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

/** Stable order by descending score (numpy argsort of -score, kind='mergesort'). */
function orderByScoreDescending(scoreOf: (i: number) => number, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  return order.sort((a, b) => scoreOf(b) - scoreOf(a));
}

function evaluateCell(cell: CellInput, iouThresholds: readonly number[], areaRanges: readonly CocoAreaRange[], maxDet: number): CellResult {
  const gts = cell.groundTruth;
  const dts = orderByScoreDescending((i) => (cell.detections[i] as Detection).score, cell.detections.length)
    .slice(0, maxDet)
    .map((i) => cell.detections[i] as Detection);
  const G = gts.length;
  const D = dts.length;
  const T = iouThresholds.length;
  const ious = new Float64Array(D * G);
  for (let d = 0; d < D; d++) {
    const dt = dts[d] as Detection;
    for (let g = 0; g < G; g++) {
      const gt = gts[g] as GroundTruthObject;
      ious[d * G + g] = iouXywh(dt.bbox, gt.bbox, gt.iscrowd);
    }
  }
  const result: CellResult = { scores: Float64Array.from(dts, (d) => d.score), matched: [], ignored: [], countedGroundTruth: [] };
  for (const range of areaRanges) {
    const gtIgnored = gts.map((g) => g.iscrowd || g.area < range.min || g.area > range.max);
    // Counted objects first, ignored ones last, each group in file order: once a detection has a
    // counted match, the scan stops at the first ignored object.
    const gtOrder = Array.from({ length: G }, (_, i) => i).sort((a, b) => Number(gtIgnored[a]) - Number(gtIgnored[b]));
    const matched = new Uint8Array(T * D);
    const ignored = new Uint8Array(T * D);
    for (let t = 0; t < T; t++) {
      const gtTaken = new Uint8Array(G);
      for (let d = 0; d < D; d++) {
        let best = Math.min(iouThresholds[t] as number, 1 - 1e-10);
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
        if (m === -1) continue;
        ignored[t * D + d] = gtIgnored[gtOrder[m] as number] ? 1 : 0;
        matched[t * D + d] = 1;
        gtTaken[m] = 1;
      }
    }
    for (let d = 0; d < D; d++) {
      const box = (dts[d] as Detection).bbox;
      const area = box[2] * box[3];
      if (area >= range.min && area <= range.max) continue;
      for (let t = 0; t < T; t++) if (matched[t * D + d] === 0) ignored[t * D + d] = 1;
    }
    result.matched.push(matched);
    result.ignored.push(ignored);
    result.countedGroundTruth.push(gtIgnored.filter((ig) => !ig).length);
  }
  return result;
}

/** accumulate() for one category: fills its slices of precision, recall and scores. */
function accumulateCategory(e: CocoEvaluation, k: number, cells: CellResult[]): void {
  const T = e.iouThresholds.length;
  const R = e.recallThresholds.length;
  if (cells.length === 0) return;
  e.maxDets.forEach((maxDet, m) => {
    // Pool the top maxDet detections of every image, in image order, then sort stably by score.
    const cellOf: number[] = [];
    const detOf: number[] = [];
    cells.forEach((cell, c) => {
      const kept = Math.min(cell.scores.length, maxDet);
      for (let d = 0; d < kept; d++) {
        cellOf.push(c);
        detOf.push(d);
      }
    });
    const N = cellOf.length;
    const scoreOf = (i: number): number => (cells[cellOf[i] as number] as CellResult).scores[detOf[i] as number] as number;
    const order = orderByScoreDescending(scoreOf, N);
    const sortedScores = Float64Array.from(order, scoreOf);
    e.areaRanges.forEach((_, a) => {
      let counted = 0;
      for (const cell of cells) counted += cell.countedGroundTruth[a] as number;
      if (counted === 0) return;
      const rc = new Float64Array(N);
      const pr = new Float64Array(N);
      for (let t = 0; t < T; t++) {
        let tp = 0;
        let fp = 0;
        for (let i = 0; i < N; i++) {
          const cell = cells[cellOf[order[i] as number] as number] as CellResult;
          const flag = t * cell.scores.length + (detOf[order[i] as number] as number);
          if ((cell.ignored[a] as Uint8Array)[flag] === 0) {
            if ((cell.matched[a] as Uint8Array)[flag] === 1) tp += 1;
            else fp += 1;
          }
          rc[i] = tp / counted;
          pr[i] = tp / (fp + tp + Number.EPSILON);
        }
        e.recall[cocoRecallIndex(e, t, k, a, m)] = N > 0 ? (rc[N - 1] as number) : 0;
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

  const cellsByCategory = groupCells(dataset);
  const totalCells = cellsByCategory.reduce((n, cells) => n + cells.length, 0);
  let cellsDone = 0;
  const results: CellResult[][] = [];
  for (const cells of cellsByCategory) {
    const out: CellResult[] = [];
    for (const cell of cells) {
      out.push(evaluateCell(cell, iouThresholds, areaRanges, maxDetLimit));
      cellsDone += 1;
      if (cellsDone % CELLS_PER_STEP === 0) yield (MATCHING_SHARE * cellsDone) / totalCells;
    }
    results.push(out);
  }

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
  for (let k = 0; k < K; k++) {
    accumulateCategory(evaluation, k, results[k] as CellResult[]);
    yield MATCHING_SHARE + ((1 - MATCHING_SHARE) * (k + 1)) / K;
  }
  return evaluation;
}
