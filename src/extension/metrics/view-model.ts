// What the "Evaluate Detections" panel is sent, built from the core's evaluation results: the
// dataset overview, the COCO summary / per-class rows / PR curves, the VOC rows with thinned raw
// curves, and one image's boxes. Pure (no vscode), so unit tests check it against pycocotools.

import {
  COCO_SUMMARY_NAMES,
  cocoPerClass,
  cocoPrecisionIndex,
  cocoRecallIndex,
  cocoSummary,
  type CocoEvaluation,
  type Detection,
  type DetectionDataset,
  type GroundTruthObject,
  type VocEvaluation,
} from '../../core/metrics';
import type {
  CocoClassCurves,
  CocoResultsMessage,
  DatasetMessage,
  ImageBoxesMessage,
  ImageEntry,
  VocResultsMessage,
} from '../../shared/metrics-messages';

/** What the ground truth's `images` entries say beyond the id (COCO: width, height, file_name). */
export interface ImageMeta {
  width: number | null;
  height: number | null;
  fileName: string | null;
}

/** Width, height and file name of every image entry, read leniently: validation has already checked the ids. */
export function readImageMeta(groundTruthJson: unknown): Map<number, ImageMeta> {
  const meta = new Map<number, ImageMeta>();
  const images =
    typeof groundTruthJson === 'object' && groundTruthJson !== null ? (groundTruthJson as Record<string, unknown>)['images'] : undefined;
  if (!Array.isArray(images)) return meta;
  const size = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  for (const entry of images as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const id = e['id'];
    if (typeof id !== 'number') continue;
    const fileName = e['file_name'];
    meta.set(id, { width: size(e['width']), height: size(e['height']), fileName: typeof fileName === 'string' ? fileName : null });
  }
  return meta;
}

/** Objects and detections grouped by image index (file order kept: it breaks ties). */
export interface ImageIndex {
  objects: GroundTruthObject[][];
  detections: Detection[][];
}

export function indexByImage(dataset: DetectionDataset): ImageIndex {
  const objects: GroundTruthObject[][] = dataset.imageIds.map(() => []);
  const detections: Detection[][] = dataset.imageIds.map(() => []);
  for (const gt of dataset.groundTruth) objects[gt.image]?.push(gt);
  for (const det of dataset.detections) detections[det.image]?.push(det);
  return { objects, detections };
}

function imageEntry(dataset: DetectionDataset, index: ImageIndex, meta: ReadonlyMap<number, ImageMeta>, i: number): ImageEntry {
  const id = dataset.imageIds[i] as number;
  const m = meta.get(id);
  return {
    id,
    width: m?.width ?? null,
    height: m?.height ?? null,
    fileName: m?.fileName ?? null,
    objects: index.objects[i]?.length ?? 0,
    detections: index.detections[i]?.length ?? 0,
  };
}

export function datasetMessage(
  dataset: DetectionDataset,
  index: ImageIndex,
  meta: ReadonlyMap<number, ImageMeta>,
  names: { groundTruth: string; detections: string },
  warnings: string[],
): DatasetMessage {
  let crowd = 0;
  for (const gt of dataset.groundTruth) if (gt.iscrowd) crowd += 1;
  return {
    type: 'dataset',
    groundTruthName: names.groundTruth,
    detectionsName: names.detections,
    counts: {
      images: dataset.imageIds.length,
      objects: dataset.groundTruth.length - crowd,
      crowd,
      detections: dataset.detections.length,
      categories: dataset.categories.length,
    },
    categories: dataset.categories.map((c) => ({ id: c.id, name: c.name })),
    images: dataset.imageIds.map((_, i) => imageEntry(dataset, index, meta, i)),
    warnings,
  };
}

/**
 * A category's PR curves at area all / maxDets 100: one row of 101 precisions per IoU threshold,
 * then their mean (whose average over recall is the category's AP). Empty without ground truth.
 */
export function cocoClassCurves(e: CocoEvaluation, k: number): CocoClassCurves {
  const categoryId = e.categories[k]?.id ?? -1;
  const a = e.areaRanges.findIndex((r) => r.label === 'all');
  const m = e.maxDets.indexOf(100);
  const T = e.iouThresholds.length;
  const R = e.recallThresholds.length;
  if (a < 0 || m < 0 || (e.recall[cocoRecallIndex(e, 0, k, a, m)] as number) === -1) {
    return { categoryId, precision: new Float64Array(0), scores: new Float64Array(0) };
  }
  const precision = new Float64Array((T + 1) * R);
  const scores = new Float64Array(T * R);
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < R; r++) {
      const i = cocoPrecisionIndex(e, t, r, k, a, m);
      const p = e.precision[i] as number;
      precision[t * R + r] = p;
      scores[t * R + r] = e.scores[i] as number;
      precision[T * R + r] = (precision[T * R + r] as number) + p / T;
    }
  }
  return { categoryId, precision, scores };
}

export function cocoResultsMessage(e: CocoEvaluation, resultId: number, evaluateMs: number): CocoResultsMessage {
  const summary = cocoSummary(e);
  return {
    type: 'cocoResults',
    resultId,
    summary: COCO_SUMMARY_NAMES.map((name) => summary[name]),
    iouThresholds: [...e.iouThresholds],
    recallThresholds: [...e.recallThresholds],
    classes: cocoPerClass(e).map((c) => ({
      categoryId: c.categoryId,
      name: c.name,
      groundTruth: c.groundTruth,
      crowd: c.crowd,
      detections: c.detections,
      summary: COCO_SUMMARY_NAMES.map((name) => c.summary[name]),
    })),
    curves: e.categories.map((_, k) => cocoClassCurves(e, k)),
    evaluateMs,
  };
}

/**
 * Thins a raw PR curve (one point per detection, up to tens of thousands) for drawing: in each of
 * `buckets` runs of consecutive points, keeps the points of lowest and highest precision, so the
 * saw-tooth's extent survives; the first and the last point are always kept.
 */
export function thinCurve(
  recall: ArrayLike<number>,
  precision: ArrayLike<number>,
  buckets = 200,
): { recall: Float64Array; precision: Float64Array } {
  const n = Math.min(recall.length, precision.length);
  if (n <= 2 * buckets)
    return {
      recall: Float64Array.from({ length: n }, (_, i) => recall[i] as number),
      precision: Float64Array.from({ length: n }, (_, i) => precision[i] as number),
    };
  const keep: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if ((precision[i] as number) < (precision[lo] as number)) lo = i;
      if ((precision[i] as number) > (precision[hi] as number)) hi = i;
    }
    keep.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  keep.push(n - 1);
  const indices = [...new Set(keep)].sort((a, b) => a - b);
  return {
    recall: Float64Array.from(indices, (i) => recall[i] as number),
    precision: Float64Array.from(indices, (i) => precision[i] as number),
  };
}

export function vocResultsMessage(e: VocEvaluation, resultId: number, evaluateMs: number): VocResultsMessage {
  return {
    type: 'vocResults',
    resultId,
    metric: e.metric,
    iouThreshold: e.iouThreshold,
    mAP: e.mAP,
    classes: e.perClass.map((c) => ({
      categoryId: c.categoryId,
      name: c.name,
      groundTruth: c.groundTruth,
      difficult: c.difficult,
      detections: c.detections,
      truePositives: c.truePositives,
      falsePositives: c.falsePositives,
      ap: c.ap,
      ...thinCurve(c.recall, c.precision),
    })),
    evaluateMs,
  };
}

/** One image's boxes by id; undefined for an id that is not in the ground truth. */
export function imageBoxesMessage(
  dataset: DetectionDataset,
  index: ImageIndex,
  meta: ReadonlyMap<number, ImageMeta>,
  imageId: number,
): ImageBoxesMessage | undefined {
  const i = dataset.imageIds.indexOf(imageId);
  if (i < 0) return undefined;
  const categoryId = (k: number): number => dataset.categories[k]?.id ?? -1;
  return {
    type: 'imageBoxes',
    image: imageEntry(dataset, index, meta, i),
    objects: (index.objects[i] ?? []).map((gt) => ({
      id: gt.id,
      categoryId: categoryId(gt.category),
      bbox: [...gt.bbox],
      area: gt.area,
      iscrowd: gt.iscrowd,
    })),
    detections: (index.detections[i] ?? []).map((d) => ({ categoryId: categoryId(d.category), bbox: [...d.bbox], score: d.score })),
  };
}
