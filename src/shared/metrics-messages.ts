// The messages between the extension and the "Evaluate Detections" webview: one discriminated
// union per direction, keyed by `type`, and a runtime validator for each. Both sides import this
// module and neither trusts what arrives: the webview validates every message from the extension,
// the extension every message from the webview; a malformed message is logged and dropped.
//
// Numbers that come in blocks (precision curves) travel as Float64Arrays, which VS Code's
// postMessage transfers as binary and revives on the other side.
//
// Pure TypeScript: no vscode, no DOM, no Node. The validator combinators are the preview's
// (src/shared/validate.ts), so both webviews check messages the same way.

import {
  array,
  bytes,
  count,
  finite,
  literal,
  MessageError,
  nullable,
  object,
  runValidator,
  string,
  tagged,
  type Validated,
  type Validator,
} from './validate';

export type { Validated };

export type MetricKind = 'coco' | 'voc07' | 'voc12';
export const METRIC_KINDS: readonly MetricKind[] = ['coco', 'voc07', 'voc12'];

// ---------------------------------------------------------------------------------------------
// Payloads

export interface CategoryEntry {
  id: number;
  name: string;
}

/** One image of the ground truth, for the image chooser. */
export interface ImageEntry {
  id: number;
  /** From the ground truth's `images` entry; null when absent (the view then sizes the canvas to the boxes). */
  width: number | null;
  height: number | null;
  fileName: string | null;
  /** Ground-truth objects (crowd regions included) and detections on this image. */
  objects: number;
  detections: number;
}

export interface DatasetCounts {
  images: number;
  /** Non-crowd objects. */
  objects: number;
  crowd: number;
  detections: number;
  categories: number;
}

/** One category's row of the COCO per-class table. */
export interface CocoClassRow {
  categoryId: number;
  name: string;
  groundTruth: number;
  crowd: number;
  detections: number;
  /** The 12 summary values for this category alone, in COCO_SUMMARY_NAMES order (-1: undefined). */
  summary: number[];
}

/** A category's interpolated PR curves at area all, maxDets 100. */
export interface CocoClassCurves {
  categoryId: number;
  /**
   * Precision at the 101 recall thresholds, row-major [T + 1][101]: one row per IoU threshold,
   * then the mean over the T thresholds (the curve whose area is the class's AP). Empty when the
   * category has no ground truth (no curve is defined).
   */
  precision: Float64Array;
  /** Score of the detection that sets each point, [T][101] (0 past the curve's end); empty as above. */
  scores: Float64Array;
}

export interface VocClassRow {
  categoryId: number;
  name: string;
  /** Countable (non-difficult) objects; recall is relative to these. */
  groundTruth: number;
  difficult: number;
  detections: number;
  truePositives: number;
  falsePositives: number;
  /** -1 when the class has no countable object. */
  ap: number;
  /** The raw PR curve, thinned to at most a few hundred points for drawing (first and last kept). */
  recall: Float64Array;
  precision: Float64Array;
}

/** One box of the ground truth on the image being looked at. */
export interface ImageObject {
  id: number;
  categoryId: number;
  /** [x, y, width, height] */
  bbox: number[];
  area: number;
  iscrowd: boolean;
}

/** One detection on the image being looked at, in results-list order (which breaks score ties). */
export interface ImageDetection {
  categoryId: number;
  bbox: number[];
  score: number;
}

// ---------------------------------------------------------------------------------------------
// Extension → webview

/** Sent by the extension on `ready` and when the panel is reused for a new pair of files: what was loaded. */
export interface DatasetMessage {
  type: 'dataset';
  groundTruthName: string;
  detectionsName: string;
  counts: DatasetCounts;
  categories: CategoryEntry[];
  images: ImageEntry[];
  /** Validation warnings, formatted with their JSON paths. */
  warnings: string[];
}

/** Sent by the extension after a COCO evaluation (and again on `ready`). */
export interface CocoResultsMessage {
  type: 'cocoResults';
  /** Increases with every results message a panel receives; `rendered` echoes it. */
  resultId: number;
  /** The 12 numbers of pycocotools' summarize(), in COCO_SUMMARY_NAMES order (-1: undefined). */
  summary: number[];
  iouThresholds: number[];
  recallThresholds: number[];
  classes: CocoClassRow[];
  curves: CocoClassCurves[];
  evaluateMs: number;
}

/** Sent by the extension after a VOC evaluation the webview asked for (and again on `ready`). */
export interface VocResultsMessage {
  type: 'vocResults';
  resultId: number;
  metric: 'voc07' | 'voc12';
  iouThreshold: number;
  /** Mean over the classes with countable objects; -1 if none. */
  mAP: number;
  classes: VocClassRow[];
  evaluateMs: number;
}

/** Sent by the extension while an evaluation the webview asked for runs (fractions non-decreasing). */
export interface ProgressMessage {
  type: 'progress';
  metric: MetricKind;
  fraction: number;
}

/** Sent by the extension when an evaluation the webview asked for stops without results; the shown results stay. */
export interface EvaluationStoppedMessage {
  type: 'evaluationStopped';
  metric: MetricKind;
  reason: 'cancelled' | 'failed';
  message: string;
}

/** Sent by the extension in answer to `requestImage`: the image's boxes. */
export interface ImageBoxesMessage {
  type: 'imageBoxes';
  image: ImageEntry;
  objects: ImageObject[];
  detections: ImageDetection[];
}

/** Sent by the extension in answer to `pickImageFile`: the picture the user chose, drawn under the boxes. */
export interface ImagePixelsMessage {
  type: 'imagePixels';
  imageId: number;
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** Sent by the extension to show a short message in the panel. */
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type ToMetricsWebview =
  | DatasetMessage
  | CocoResultsMessage
  | VocResultsMessage
  | ProgressMessage
  | EvaluationStoppedMessage
  | ImageBoxesMessage
  | ImagePixelsMessage
  | NoticeMessage;

// ---------------------------------------------------------------------------------------------
// Webview → extension

/** Sent by the webview once its script runs (also after a reload): the extension answers with `dataset` and the current results. */
export interface ReadyMessage {
  type: 'ready';
}

/** Sent by the webview's metric chooser: the extension evaluates that metric (cached results come back at once). */
export interface ChooseMetricMessage {
  type: 'chooseMetric';
  metric: MetricKind;
  /** The IoU threshold of voc07/voc12, in (0, 1]; ignored for coco. */
  iouThreshold: number;
}

/** Sent by the webview's Cancel button while an evaluation runs. */
export interface CancelEvaluationMessage {
  type: 'cancelEvaluation';
}

/** Sent by the webview's image chooser: the extension answers with `imageBoxes`. */
export interface RequestImageMessage {
  type: 'requestImage';
  imageId: number;
}

/** Sent by the webview for "Image file…": the extension shows an open dialog and answers with `imagePixels`. */
export interface PickImageFileMessage {
  type: 'pickImageFile';
  imageId: number;
}

/** One number as the page shows it. */
export interface ShownValue {
  name: string;
  value: number;
  /** The text in the table, e.g. "0.247" or "-1.000". */
  text: string;
}

/** Sent by the webview after it has drawn a results message: the numbers it shows and how many charts it drew. */
export interface RenderedMessage {
  type: 'rendered';
  resultId: number;
  metric: MetricKind;
  /** coco: the 12 summary rows; voc07/voc12: `mAP`. */
  values: ShownValue[];
  /** Per-class table rows. */
  classes: number;
  /** PR charts drawn (one per class with ground truth). */
  charts: number;
  /** Time the page spent drawing these results (summary, table, charts), in milliseconds. */
  drawMs: number;
}

/** Counts of what the image view drew. */
export interface ImageShownCounts {
  truePositives: number;
  falsePositives: number;
  /** Detections matched to a crowd region. */
  ignored: number;
  /** Detections past the 100 best of their class on the image (COCO never looks at them). */
  notEvaluated: number;
  matchedObjects: number;
  missedObjects: number;
  crowdRegions: number;
}

/** Sent by the webview after it draws an image's boxes at an IoU threshold. */
export interface ImageShownMessage {
  type: 'imageShown';
  imageId: number;
  iouThreshold: number;
  background: 'boxes' | 'image';
  counts: ImageShownCounts;
}

/** Sent by the webview for the extension's output log. */
export interface LogMessage {
  type: 'log';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type FromMetricsWebview =
  | ReadyMessage
  | ChooseMetricMessage
  | CancelEvaluationMessage
  | RequestImageMessage
  | PickImageFileMessage
  | RenderedMessage
  | ImageShownMessage
  | LogMessage;

// ---------------------------------------------------------------------------------------------
// Runtime validation

/** Float64Array as revived by postMessage; a plain array of numbers is accepted too. */
const float64s: Validator<Float64Array> = (v, path) => {
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return Float64Array.from(v as number[]);
  throw new MessageError(path, 'a Float64Array', v);
};

const boolean: Validator<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new MessageError(path, 'a boolean', v);
  return v;
};

const integer: Validator<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new MessageError(path, 'an integer', v);
  return v;
};

const fraction: Validator<number> = (v, path) => {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new MessageError(path, 'a number in [0, 1]', v);
  return v;
};

const iouThreshold: Validator<number> = (v, path) => {
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new MessageError(path, 'an IoU threshold in (0, 1]', v);
  return v;
};

const box: Validator<number[]> = (v, path) => {
  const values = array(finite)(v, path);
  if (values.length !== 4) throw new MessageError(path, 'a box [x, y, width, height]', v);
  return values;
};

const level = literal('info', 'warning', 'error');
const metric = literal<MetricKind>('coco', 'voc07', 'voc12');

const imageEntry = object<ImageEntry>({
  id: integer,
  width: nullable(finite),
  height: nullable(finite),
  fileName: nullable(string),
  objects: count,
  detections: count,
});

const toWebview = tagged<ToMetricsWebview, 'type'>('type', {
  dataset: object({
    type: literal('dataset'),
    groundTruthName: string,
    detectionsName: string,
    counts: object<DatasetCounts>({ images: count, objects: count, crowd: count, detections: count, categories: count }),
    categories: array(object<CategoryEntry>({ id: integer, name: string })),
    images: array(imageEntry),
    warnings: array(string),
  }),
  cocoResults: object({
    type: literal('cocoResults'),
    resultId: count,
    summary: array(finite),
    iouThresholds: array(finite),
    recallThresholds: array(finite),
    classes: array(
      object<CocoClassRow>({
        categoryId: integer,
        name: string,
        groundTruth: count,
        crowd: count,
        detections: count,
        summary: array(finite),
      }),
    ),
    curves: array(object<CocoClassCurves>({ categoryId: integer, precision: float64s, scores: float64s })),
    evaluateMs: finite,
  }),
  vocResults: object({
    type: literal('vocResults'),
    resultId: count,
    metric: literal('voc07', 'voc12'),
    iouThreshold,
    mAP: finite,
    classes: array(
      object<VocClassRow>({
        categoryId: integer,
        name: string,
        groundTruth: count,
        difficult: count,
        detections: count,
        truePositives: count,
        falsePositives: count,
        ap: finite,
        recall: float64s,
        precision: float64s,
      }),
    ),
    evaluateMs: finite,
  }),
  progress: object({ type: literal('progress'), metric, fraction }),
  evaluationStopped: object({ type: literal('evaluationStopped'), metric, reason: literal('cancelled', 'failed'), message: string }),
  imageBoxes: object({
    type: literal('imageBoxes'),
    image: imageEntry,
    objects: array(object<ImageObject>({ id: integer, categoryId: integer, bbox: box, area: finite, iscrowd: boolean })),
    detections: array(object<ImageDetection>({ categoryId: integer, bbox: box, score: finite })),
  }),
  imagePixels: object({ type: literal('imagePixels'), imageId: integer, name: string, mime: string, bytes }),
  notice: object({ type: literal('notice'), level, message: string }),
});

const shownValue = object<ShownValue>({ name: string, value: finite, text: string });

const fromWebview = tagged<FromMetricsWebview, 'type'>('type', {
  ready: object({ type: literal('ready') }),
  chooseMetric: object({ type: literal('chooseMetric'), metric, iouThreshold }),
  cancelEvaluation: object({ type: literal('cancelEvaluation') }),
  requestImage: object({ type: literal('requestImage'), imageId: integer }),
  pickImageFile: object({ type: literal('pickImageFile'), imageId: integer }),
  rendered: object({
    type: literal('rendered'),
    resultId: count,
    metric,
    values: array(shownValue),
    classes: count,
    charts: count,
    drawMs: finite,
  }),
  imageShown: object({
    type: literal('imageShown'),
    imageId: integer,
    iouThreshold,
    background: literal('boxes', 'image'),
    counts: object<ImageShownCounts>({
      truePositives: count,
      falsePositives: count,
      ignored: count,
      notEvaluated: count,
      matchedObjects: count,
      missedObjects: count,
      crowdRegions: count,
    }),
  }),
  log: object({ type: literal('log'), level, message: string }),
});

/** The webview's check of every message the extension posts. */
export function validateToMetricsWebview(raw: unknown): Validated<ToMetricsWebview> {
  return runValidator(toWebview, raw);
}

/** The extension's check of every message the webview posts. */
export function validateFromMetricsWebview(raw: unknown): Validated<FromMetricsWebview> {
  return runValidator(fromWebview, raw);
}
