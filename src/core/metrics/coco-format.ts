// Validation of COCO-format inputs: a ground-truth dataset ({images, annotations, categories})
// and a results list ([{image_id, category_id, bbox, score}]). Problems come back as data, each
// naming the JSON path of the offending value, so the CLI and the editor report them alike.
// What pycocotools would reject (a result on an unknown image, a missing field) is an error here;
// what it silently skips (a result whose category is not in the ground truth) is a warning.

import type { BoxXywh } from './boxes';
import type { Detection, DetectionDataset, EvalCategory, GroundTruthObject } from './dataset';

export type InputSource = 'ground-truth' | 'detections';

export interface InputIssue {
  severity: 'error' | 'warning';
  source: InputSource;
  /** JSON path of the offending value, e.g. `annotations[3].bbox[2]`; '' for the whole document. */
  path: string;
  message: string;
}

export interface ParsedGroundTruth {
  imageIds: number[];
  categories: EvalCategory[];
  objects: GroundTruthObject[];
  imageIndexById: ReadonlyMap<number, number>;
  categoryIndexById: ReadonlyMap<number, number>;
}

/** Past this many errors in one file the rest are only counted: a systematically wrong file would otherwise flood the output. */
const MAX_ERRORS_PER_SOURCE = 50;

class IssueList {
  readonly issues: InputIssue[] = [];
  private errorCount = 0;
  constructor(private readonly source: InputSource) {}

  error(path: string, message: string): void {
    this.errorCount += 1;
    if (this.errorCount <= MAX_ERRORS_PER_SOURCE) this.issues.push({ severity: 'error', source: this.source, path, message });
  }

  warning(path: string, message: string): void {
    this.issues.push({ severity: 'warning', source: this.source, path, message });
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** Appends the count of errors that were not listed. */
  finish(): InputIssue[] {
    const hidden = this.errorCount - MAX_ERRORS_PER_SOURCE;
    if (hidden > 0)
      this.issues.push({
        severity: 'error',
        source: this.source,
        path: '',
        message: `… and ${hidden} more error${hidden === 1 ? '' : 's'}`,
      });
    return this.issues;
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a string ("abc")", "an array", "null", ... for messages. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 24 ? value.slice(0, 24) + '…' : value)})`;
    case 'number':
      return String(value);
    case 'boolean':
      return `a boolean (${value})`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function readInteger(obj: JsonObject, key: string, path: string, issues: IssueList): number | undefined {
  if (!(key in obj)) {
    issues.error(path, `missing \`${key}\``);
    return undefined;
  }
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    issues.error(`${path}.${key}`, `\`${key}\` must be an integer, got ${describeJsonValue(value)}`);
    return undefined;
  }
  return value;
}

function readFiniteNumber(obj: JsonObject, key: string, path: string, issues: IssueList): number | undefined {
  if (!(key in obj)) {
    issues.error(path, `missing \`${key}\``);
    return undefined;
  }
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.error(`${path}.${key}`, `\`${key}\` must be a number, got ${describeJsonValue(value)}`);
    return undefined;
  }
  return value;
}

const BOX_PARTS = ['x', 'y', 'width', 'height'] as const;

function readBox(obj: JsonObject, path: string, issues: IssueList): BoxXywh | undefined {
  if (!('bbox' in obj)) {
    issues.error(path, 'missing `bbox` (expected [x, y, width, height])');
    return undefined;
  }
  const value = obj['bbox'];
  const boxPath = `${path}.bbox`;
  if (!Array.isArray(value)) {
    issues.error(boxPath, `\`bbox\` must be an array [x, y, width, height], got ${describeJsonValue(value)}`);
    return undefined;
  }
  if (value.length !== 4) {
    issues.error(boxPath, `\`bbox\` must hold 4 numbers [x, y, width, height], got ${value.length}`);
    return undefined;
  }
  let ok = true;
  value.forEach((part: unknown, i) => {
    if (typeof part !== 'number' || !Number.isFinite(part)) {
      issues.error(`${boxPath}[${i}]`, `bbox ${BOX_PARTS[i]} must be a finite number, got ${describeJsonValue(part)}`);
      ok = false;
    } else if (i >= 2 && part < 0) {
      issues.error(
        `${boxPath}[${i}]`,
        `bbox ${BOX_PARTS[i]} is ${part}; a box's ${BOX_PARTS[i]} must be ≥ 0 (bbox is [x, y, width, height], not corners)`,
      );
      ok = false;
    }
  });
  return ok ? [value[0] as number, value[1] as number, value[2] as number, value[3] as number] : undefined;
}

/** 0/1 or false/true; absent means false. */
function readFlag(obj: JsonObject, key: string, path: string, issues: IssueList): boolean {
  if (!(key in obj)) return false;
  const value = obj[key];
  if (value === 0 || value === 1 || typeof value === 'boolean') return Boolean(value);
  issues.error(`${path}.${key}`, `\`${key}\` must be 0 or 1, got ${describeJsonValue(value)}`);
  return false;
}

function readArrayField(root: JsonObject, key: string, issues: IssueList, hint: string): unknown[] | undefined {
  if (!(key in root)) {
    issues.error('', `missing \`${key}\` (${hint})`);
    return undefined;
  }
  const value = root[key];
  if (!Array.isArray(value)) {
    issues.error(key, `\`${key}\` must be an array, got ${describeJsonValue(value)}`);
    return undefined;
  }
  return value;
}

/** Reads `images` or `categories`: entries with a unique integer `id`. */
function readIdEntries(list: unknown[], key: string, issues: IssueList): { id: number; entry: JsonObject }[] {
  const seen = new Map<number, number>();
  const out: { id: number; entry: JsonObject }[] = [];
  list.forEach((entry, i) => {
    const path = `${key}[${i}]`;
    if (!isObject(entry)) {
      issues.error(path, `each entry of \`${key}\` must be an object with an \`id\`, got ${describeJsonValue(entry)}`);
      return;
    }
    const id = readInteger(entry, 'id', path, issues);
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) {
      issues.error(`${path}.id`, `id ${id} repeats ${key}[${first}].id`);
      return;
    }
    seen.set(id, i);
    out.push({ id, entry });
  });
  return out;
}

export function parseCocoGroundTruth(json: unknown): { groundTruth?: ParsedGroundTruth; issues: InputIssue[] } {
  const issues = new IssueList('ground-truth');
  if (!isObject(json)) {
    const hint = Array.isArray(json) ? ' (an array looks like a results list: pass the ground truth first, then the detections)' : '';
    issues.error(
      '',
      `the ground truth must be a JSON object with \`images\`, \`annotations\` and \`categories\`, got ${describeJsonValue(json)}${hint}`,
    );
    return { issues: issues.finish() };
  }
  const images = readArrayField(json, 'images', issues, 'a list of {id, ...}');
  const categories = readArrayField(json, 'categories', issues, 'a list of {id, name}');
  const annotations = readArrayField(json, 'annotations', issues, 'a list of {id, image_id, category_id, bbox, ...}');

  const imageEntries = images ? readIdEntries(images, 'images', issues) : [];
  const categoryEntries = categories ? readIdEntries(categories, 'categories', issues) : [];
  const imageIds = imageEntries.map((e) => e.id).sort((a, b) => a - b);
  const imageIndexById = new Map(imageIds.map((id, index) => [id, index]));
  const sortedCategories: EvalCategory[] = categoryEntries
    .map(({ id, entry }) => ({ id, name: typeof entry['name'] === 'string' ? entry['name'] : `category ${id}` }))
    .sort((a, b) => a.id - b.id);
  const categoryIndexById = new Map(sortedCategories.map((c, index) => [c.id, index]));

  const objects: GroundTruthObject[] = [];
  const annotationIds = new Map<number, number>();
  let ignoreFieldPath: string | undefined;
  (annotations ?? []).forEach((ann, i) => {
    const path = `annotations[${i}]`;
    if (!isObject(ann)) {
      issues.error(path, `each annotation must be an object, got ${describeJsonValue(ann)}`);
      return;
    }
    const id = readInteger(ann, 'id', path, issues);
    if (id !== undefined) {
      const first = annotationIds.get(id);
      if (id <= 0) {
        // pycocotools stores the matched ground truth's id and treats 0 as "no match".
        issues.error(`${path}.id`, `annotation id ${id} must be a positive integer (pycocotools treats a match to id 0 as no match)`);
      } else if (first !== undefined) {
        issues.error(`${path}.id`, `annotation id ${id} repeats annotations[${first}].id`);
      } else {
        annotationIds.set(id, i);
      }
    }
    const imageId = readInteger(ann, 'image_id', path, issues);
    const image = imageId === undefined ? undefined : imageIndexById.get(imageId);
    if (imageId !== undefined && image === undefined && images !== undefined) {
      issues.error(`${path}.image_id`, `image_id ${imageId} is not the id of any entry in \`images\``);
    }
    const categoryId = readInteger(ann, 'category_id', path, issues);
    const category = categoryId === undefined ? undefined : categoryIndexById.get(categoryId);
    if (categoryId !== undefined && category === undefined && categories !== undefined) {
      issues.error(`${path}.category_id`, `category_id ${categoryId} is not the id of any entry in \`categories\``);
    }
    const bbox = readBox(ann, path, issues);
    let area = bbox === undefined ? undefined : bbox[2] * bbox[3];
    if ('area' in ann) {
      const value = ann['area'];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        issues.error(`${path}.area`, `\`area\` must be a number ≥ 0, got ${describeJsonValue(value)}`);
      } else {
        area = value;
      }
    }
    const iscrowd = readFlag(ann, 'iscrowd', path, issues);
    const difficult = readFlag(ann, 'difficult', path, issues) || iscrowd;
    if ('ignore' in ann && ignoreFieldPath === undefined) ignoreFieldPath = `${path}.ignore`;
    if (id === undefined || image === undefined || category === undefined || bbox === undefined || area === undefined) return;
    objects.push({ id, image, category, bbox, area, iscrowd, difficult });
  });
  if (ignoreFieldPath !== undefined) {
    issues.warning(ignoreFieldPath, '`ignore` is not used: like pycocotools, a ground-truth object is ignored exactly when `iscrowd` is 1');
  }
  if (issues.hasErrors) return { issues: issues.finish() };
  return { groundTruth: { imageIds, categories: sortedCategories, objects, imageIndexById, categoryIndexById }, issues: issues.finish() };
}

export function parseCocoDetections(json: unknown, groundTruth: ParsedGroundTruth): { detections?: Detection[]; issues: InputIssue[] } {
  const issues = new IssueList('detections');
  if (!Array.isArray(json)) {
    const hint =
      isObject(json) && 'annotations' in json
        ? ' (this looks like a ground-truth file: pass the ground truth first, then the results list)'
        : '';
    issues.error('', `the detections must be a JSON array of {image_id, category_id, bbox, score}, got ${describeJsonValue(json)}${hint}`);
    return { issues: issues.finish() };
  }
  const detections: Detection[] = [];
  let unknownCategoryCount = 0;
  let firstUnknownCategory = '';
  json.forEach((det: unknown, i) => {
    const path = `[${i}]`;
    if (!isObject(det)) {
      issues.error(path, `each detection must be an object {image_id, category_id, bbox, score}, got ${describeJsonValue(det)}`);
      return;
    }
    const imageId = readInteger(det, 'image_id', path, issues);
    const image = imageId === undefined ? undefined : groundTruth.imageIndexById.get(imageId);
    if (imageId !== undefined && image === undefined) {
      issues.error(`${path}.image_id`, `image_id ${imageId} is not the id of any image in the ground truth`);
    }
    const categoryId = readInteger(det, 'category_id', path, issues);
    const bbox = readBox(det, path, issues);
    const score = readFiniteNumber(det, 'score', path, issues);
    if (image === undefined || categoryId === undefined || bbox === undefined || score === undefined) return;
    const category = groundTruth.categoryIndexById.get(categoryId);
    if (category === undefined) {
      unknownCategoryCount += 1;
      if (firstUnknownCategory === '') firstUnknownCategory = `${path}.category_id`;
      return;
    }
    detections.push({ image, category, bbox, score });
  });
  if (unknownCategoryCount > 0) {
    const count = unknownCategoryCount === 1 ? 'one detection has a' : `${unknownCategoryCount} detections have a`;
    issues.warning(
      firstUnknownCategory,
      `${count} category_id that is not in the ground truth's \`categories\`; ignored, as pycocotools does`,
    );
  }
  if (issues.hasErrors) return { issues: issues.finish() };
  return { detections, issues: issues.finish() };
}

/** Both files at once: the dataset when neither has an error, and every issue found. */
export function parseCocoEvaluationInputs(
  groundTruthJson: unknown,
  detectionsJson: unknown,
): { dataset?: DetectionDataset; issues: InputIssue[] } {
  const gt = parseCocoGroundTruth(groundTruthJson);
  if (gt.groundTruth === undefined) return { issues: gt.issues };
  const dets = parseCocoDetections(detectionsJson, gt.groundTruth);
  const issues = [...gt.issues, ...dets.issues];
  if (dets.detections === undefined) return { issues };
  const { imageIds, categories, objects } = gt.groundTruth;
  return { dataset: { imageIds, categories, groundTruth: objects, detections: dets.detections }, issues };
}

/** `annotations[3].bbox[2]: bbox width is -4; ...` prefixed with the file name, for terminals and logs. */
export function formatInputIssue(issue: InputIssue, fileName: string): string {
  const where = issue.path === '' ? fileName : `${fileName}: ${issue.path}`;
  return `${where}: ${issue.severity}: ${issue.message}`;
}
