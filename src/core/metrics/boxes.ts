// Box geometry for detection metrics. Two conventions meet here: COCO writes a box as
// [x, y, width, height] ("xywh"), most detectors emit [x1, y1, x2, y2] ("xyxy"). Coordinates
// are continuous (no VOC-devkit "+1 pixel"), as in COCO.

/** [x, y, width, height], COCO's `bbox`. */
export type BoxXywh = readonly [number, number, number, number];
/** [x1, y1, x2, y2], corners. */
export type BoxXyxy = readonly [number, number, number, number];

export function xywhToXyxy(box: BoxXywh): BoxXyxy {
  return [box[0], box[1], box[0] + box[2], box[1] + box[3]];
}

export function xyxyToXywh(box: BoxXyxy): BoxXywh {
  return [box[0], box[1], box[2] - box[0], box[3] - box[1]];
}

/** Intersection over union of two corner boxes; 0 when they do not overlap or both are empty. */
export function iouXyxy(a: BoxXyxy, b: BoxXyxy): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  if (w <= 0) return 0;
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return inter / union;
}

/**
 * IoU of a detection with a ground-truth box, both xywh, with COCO's crowd rule: for a crowd
 * region the union is the detection's own area, so a detection lying inside the region scores 1.
 * The operations follow pycocotools' `bbIou` (maskApi.c) one for one, so results agree to the bit.
 */
export function iouXywh(detection: BoxXywh, groundTruth: BoxXywh, crowd = false): number {
  const d = detection;
  const g = groundTruth;
  const w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
  if (w <= 0) return 0;
  const h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
  if (h <= 0) return 0;
  const inter = w * h;
  const detectionArea = d[2] * d[3];
  const union = crowd ? detectionArea : detectionArea + g[2] * g[3] - inter;
  return inter / union;
}
