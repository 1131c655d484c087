// Which detections of one image are true positives at a chosen IoU threshold, by COCO's rules
// (pycocotools' evaluateImg at area "all", maxDets 100), for drawing them: per class, detections
// in descending score order (ties: results-list order) each take the free object with the highest
// IoU ≥ the threshold (ties: the later object), counted objects before crowd regions; a crowd
// region can be matched again and a detection matched to it is ignored. The core evaluator does
// the same over all images at once; test/unit/metrics-view-matching.test.ts pools these per-image
// outcomes and gets pycocotools' precision curves back. Pure: no DOM.

import { iouXywh, type BoxXywh } from '../../src/core/metrics/boxes';
import type { ImageDetection, ImageObject, ImageShownCounts } from '../../src/shared/metrics-messages';

export type DetectionOutcome = 'tp' | 'fp' | 'ignored' | 'notEvaluated';

export interface DetectionMatch {
  outcome: DetectionOutcome;
  /** tp/ignored: IoU with the matched object; otherwise the best IoU with any object of its class (0 if none). */
  iou: number;
  /** Index into the objects of the matched object (tp, ignored), or of the best-overlapping one; null if there is none. */
  object: number | null;
  /** A false positive whose best object (IoU ≥ threshold) was already taken by a higher-scored detection. */
  duplicate: boolean;
  /** 0 for the class's best-scored detection on this image. */
  rank: number;
}

export interface ObjectMatch {
  /** Index into the detections of the detection that took this object, null if none did (for a crowd region: the first one). */
  matchedBy: number | null;
  crowd: boolean;
}

export interface ImageMatches {
  /** In the order of the detections given. */
  detections: DetectionMatch[];
  /** In the order of the objects given. */
  objects: ObjectMatch[];
  counts: ImageShownCounts;
}

/** COCO looks at the 100 best detections of each class on an image, no more. */
export const MAX_DETECTIONS_PER_CLASS = 100;
/** pycocotools' area range "all", inclusive. */
const AREA_ALL = { min: 0, max: 1e10 } as const;

function box(values: readonly number[]): BoxXywh {
  return [values[0] ?? 0, values[1] ?? 0, values[2] ?? 0, values[3] ?? 0];
}

export function matchImage(
  objects: readonly ImageObject[],
  detections: readonly ImageDetection[],
  iouThreshold: number,
  maxDetections = MAX_DETECTIONS_PER_CLASS,
): ImageMatches {
  const detectionMatches: DetectionMatch[] = detections.map(() => ({ outcome: 'fp', iou: 0, object: null, duplicate: false, rank: 0 }));
  const objectMatches: ObjectMatch[] = objects.map((o) => ({ matchedBy: null, crowd: o.iscrowd }));
  // As pycocotools: a threshold of 1 would never match (IoU < 1 - 1e-10 is compared).
  const threshold = Math.min(iouThreshold, 1 - 1e-10);
  const categories = new Set<number>([...objects.map((o) => o.categoryId), ...detections.map((d) => d.categoryId)]);

  for (const category of categories) {
    const gts = objects.flatMap((o, i) => (o.categoryId === category ? [i] : []));
    const ignored = (g: number): boolean => {
      const o = objects[g] as ImageObject;
      return o.iscrowd || o.area < AREA_ALL.min || o.area > AREA_ALL.max;
    };
    // Counted objects first, ignored ones after, each group in file order.
    const gtOrder = [...gts].sort((x, y) => Number(ignored(x)) - Number(ignored(y)) || x - y);
    const dets = detections
      .flatMap((d, i) => (d.categoryId === category ? [i] : []))
      .sort((a, b) => (detections[b] as ImageDetection).score - (detections[a] as ImageDetection).score || a - b);
    const taken = new Array<boolean>(gtOrder.length).fill(false);

    dets.forEach((d, rank) => {
      const det = detections[d] as ImageDetection;
      const detBox = box(det.bbox);
      const ious = gtOrder.map((g) => iouXywh(detBox, box((objects[g] as ImageObject).bbox), (objects[g] as ImageObject).iscrowd));
      const match = detectionMatches[d] as DetectionMatch;
      match.rank = rank;
      let bestAny = 0;
      let bestAnyAt = -1;
      ious.forEach((iou, s) => {
        if (iou > bestAny) {
          bestAny = iou;
          bestAnyAt = s;
        }
      });
      if (rank >= maxDetections) {
        match.outcome = 'notEvaluated';
        match.iou = bestAny;
        match.object = bestAnyAt < 0 ? null : (gtOrder[bestAnyAt] as number);
        return;
      }
      let best = threshold;
      let m = -1;
      for (let s = 0; s < gtOrder.length; s++) {
        const g = gtOrder[s] as number;
        if (taken[s] && !(objects[g] as ImageObject).iscrowd) continue;
        if (m > -1 && !ignored(gtOrder[m] as number) && ignored(g)) break;
        const iou = ious[s] as number;
        if (iou < best) continue;
        best = iou;
        m = s;
      }
      if (m > -1) {
        const g = gtOrder[m] as number;
        taken[m] = true;
        match.outcome = ignored(g) ? 'ignored' : 'tp';
        match.iou = best;
        match.object = g;
        const objectMatch = objectMatches[g] as ObjectMatch;
        if (objectMatch.matchedBy === null) objectMatch.matchedBy = d;
        return;
      }
      const area = detBox[2] * detBox[3];
      match.outcome = area < AREA_ALL.min || area > AREA_ALL.max ? 'ignored' : 'fp';
      match.iou = bestAny;
      match.object = bestAnyAt < 0 ? null : (gtOrder[bestAnyAt] as number);
      match.duplicate = bestAny >= threshold && bestAnyAt >= 0 && (taken[bestAnyAt] as boolean);
    });
  }

  const counts: ImageShownCounts = {
    truePositives: 0,
    falsePositives: 0,
    ignored: 0,
    notEvaluated: 0,
    matchedObjects: 0,
    missedObjects: 0,
    crowdRegions: 0,
  };
  for (const m of detectionMatches) {
    if (m.outcome === 'tp') counts.truePositives += 1;
    else if (m.outcome === 'fp') counts.falsePositives += 1;
    else if (m.outcome === 'ignored') counts.ignored += 1;
    else counts.notEvaluated += 1;
  }
  for (const o of objectMatches) {
    if (o.crowd) counts.crowdRegions += 1;
    else if (o.matchedBy === null) counts.missedObjects += 1;
    else counts.matchedObjects += 1;
  }
  return { detections: detectionMatches, objects: objectMatches, counts };
}
