// PASCAL VOC evaluation at one IoU threshold, following the VOC devkit's VOCevaldet.m: detections
// of a class in descending score order (stable: ties keep results-list order) each take the
// ground-truth object of the same image they overlap most (first one on ties); at IoU ≥ the
// threshold it is a true positive if that object is still free, a false positive if it was
// already taken (duplicate), and ignored if the object is "difficult". Anything else is a false
// positive. Differences from the devkit, for COCO-format input: boxes are continuous xywh (no
// "+1 pixel"), a crowd region counts as difficult, and there is no per-image detection limit.

import { iouXywh } from './boxes';
import type { EvaluationSteps } from './control';
import type { Detection, DetectionDataset, GroundTruthObject } from './dataset';
import { apVoc07, apVocAllPoint } from './interpolation';

export type VocMetric = 'voc07' | 'voc12';

export interface VocClassResult {
  categoryId: number;
  name: string;
  /** Ground-truth objects that count (not difficult); recall is relative to these. */
  groundTruth: number;
  difficult: number;
  detections: number;
  truePositives: number;
  falsePositives: number;
  /** AP with the metric's interpolation; -1 when the class has no countable ground truth. */
  ap: number;
  /** The raw PR curve, one point per detection that was not ignored, in score order. */
  recall: Float64Array;
  precision: Float64Array;
}

export interface VocEvaluation {
  metric: VocMetric;
  iouThreshold: number;
  /** Mean AP over the classes whose AP is defined; -1 if none is. */
  mAP: number;
  perClass: VocClassResult[];
}

/** Yield to the driver after this many detections within one class. */
const DETECTIONS_PER_STEP = 4096;

export function* vocEvaluationSteps(dataset: DetectionDataset, metric: VocMetric, iouThreshold = 0.5): EvaluationSteps<VocEvaluation> {
  const K = dataset.categories.length;
  const gtByClass = dataset.categories.map(() => new Map<number, GroundTruthObject[]>());
  for (const gt of dataset.groundTruth) {
    const byImage = gtByClass[gt.category] as Map<number, GroundTruthObject[]>;
    const list = byImage.get(gt.image);
    if (list === undefined) byImage.set(gt.image, [gt]);
    else list.push(gt);
  }
  const detsByClass: Detection[][] = dataset.categories.map(() => []);
  for (const det of dataset.detections) (detsByClass[det.category] as Detection[]).push(det);

  const totalDetections = Math.max(1, dataset.detections.length);
  let detectionsDone = 0;
  const perClass: VocClassResult[] = [];
  for (let k = 0; k < K; k++) {
    const category = dataset.categories[k] as (typeof dataset.categories)[number];
    const gtsByImage = gtByClass[k] as Map<number, GroundTruthObject[]>;
    let difficult = 0;
    let counted = 0;
    for (const list of gtsByImage.values()) {
      for (const gt of list) {
        if (gt.difficult) difficult += 1;
        else counted += 1;
      }
    }
    const taken = new Map<GroundTruthObject, true>();
    // Array.prototype.sort is stable, so equal scores keep results-list order.
    const dets = [...(detsByClass[k] as Detection[])].sort((a, b) => b.score - a.score);
    const recall: number[] = [];
    const precision: number[] = [];
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < dets.length; i++) {
      const det = dets[i] as Detection;
      let best = -Infinity;
      let bestGt: GroundTruthObject | undefined;
      for (const gt of gtsByImage.get(det.image) ?? []) {
        const iou = iouXywh(det.bbox, gt.bbox);
        if (iou > best) {
          best = iou;
          bestGt = gt;
        }
      }
      if (bestGt !== undefined && best >= iouThreshold) {
        if (bestGt.difficult) continue;
        if (taken.has(bestGt)) fp += 1;
        else {
          taken.set(bestGt, true);
          tp += 1;
        }
      } else {
        fp += 1;
      }
      recall.push(counted === 0 ? 0 : tp / counted);
      precision.push(tp / (tp + fp));
      if ((detectionsDone + i + 1) % DETECTIONS_PER_STEP === 0) yield (detectionsDone + i + 1) / totalDetections;
    }
    detectionsDone += dets.length;
    const ap = counted === 0 ? -1 : metric === 'voc07' ? apVoc07(recall, precision) : apVocAllPoint(recall, precision);
    perClass.push({
      categoryId: category.id,
      name: category.name,
      groundTruth: counted,
      difficult,
      detections: dets.length,
      truePositives: tp,
      falsePositives: fp,
      ap,
      recall: Float64Array.from(recall),
      precision: Float64Array.from(precision),
    });
    yield detectionsDone / totalDetections;
  }
  const defined = perClass.filter((c) => c.ap > -1);
  const mAP = defined.length === 0 ? -1 : defined.reduce((s, c) => s + c.ap, 0) / defined.length;
  return { metric, iouThreshold, mAP, perClass };
}
