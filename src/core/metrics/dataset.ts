// The validated, index-based form of a detection evaluation's inputs. Parsing (coco-format.ts)
// produces it; the COCO and VOC evaluators only read it. Images and categories are sorted by id,
// as pycocotools sorts them, and objects refer to them by index into those arrays.

import type { BoxXywh } from './boxes';

export interface EvalCategory {
  id: number;
  name: string;
}

export interface GroundTruthObject {
  /** The annotation's `id` (a positive integer). */
  id: number;
  /** Index into DetectionDataset.imageIds. */
  image: number;
  /** Index into DetectionDataset.categories. */
  category: number;
  bbox: BoxXywh;
  /** The annotation's `area` (COCO: the segmentation's area, used for the small/medium/large split); w·h when absent. */
  area: number;
  /** COCO crowd region: never a true positive, and detections matched to it are ignored. */
  iscrowd: boolean;
  /** VOC "difficult" flag (`difficult` field, or a crowd region): detections matched to it are ignored by the VOC metrics. */
  difficult: boolean;
}

export interface Detection {
  image: number;
  category: number;
  bbox: BoxXywh;
  score: number;
}

export interface DetectionDataset {
  /** Image ids in ascending order. */
  imageIds: number[];
  /** Categories in ascending id order. */
  categories: EvalCategory[];
  /** Ground truth in file order (order matters for pycocotools' tie-breaking). */
  groundTruth: GroundTruthObject[];
  /** Detections in results-list order (order breaks ties between equal scores). */
  detections: Detection[];
}

/** Progress and cancellation hooks for long evaluations (checked between images and categories). */
export interface EvaluationControl {
  /** Called with a fraction in [0, 1], non-decreasing, ending with 1 on success. */
  onProgress?: (fraction: number) => void;
  /** Polled between steps; true stops the evaluation, which then reports `cancelled`. */
  isCancelled?: () => boolean;
  /** AbortSignal-like alternative to isCancelled. */
  signal?: { readonly aborted: boolean };
}

export type EvaluationOutcome<T> = { status: 'done'; result: T } | { status: 'cancelled' };
