// Text and JSON renderings of evaluation results, shared by the CLI and the editor. The COCO
// summary lines reproduce pycocotools' summarize() printout character for character.

import type { CocoEvaluation } from './coco-eval';
import type { CocoClassResult, CocoSummary, CocoSummarySpec } from './coco-summary';
import { COCO_SUMMARY_NAMES, COCO_SUMMARY_SPECS, cocoPerClass, cocoSummary } from './coco-summary';
import type { VocEvaluation } from './voc-eval';

/**
 * x.toFixed(digits) rounded as Python's format() rounds: half to even on exact ties (0.5625 →
 * "0.562"), where toFixed rounds up ("0.563"). A tie means x·2^(digits+1) is an odd integer.
 */
export function formatFixed(x: number, digits: number): string {
  const scaled = x * 2 ** (digits + 1);
  if (!Number.isInteger(scaled) || Math.abs(scaled) % 2 !== 1) return x.toFixed(digits);
  const v = Math.abs(x) * 10 ** digits; // exactly n + 0.5
  let n = Math.floor(v);
  if (n % 2 !== 0) n += 1;
  const text = String(n).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  return `${x < 0 ? '-' : ''}${whole}${digits > 0 ? '.' + text.slice(text.length - digits) : ''}`;
}

/** pycocotools' line: `Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.504`. */
export function formatCocoSummaryLine(spec: CocoSummarySpec, value: number, e: CocoEvaluation): string {
  const title = (spec.measure === 'precision' ? 'Average Precision' : 'Average Recall').padEnd(18);
  const kind = spec.measure === 'precision' ? '(AP)' : '(AR)';
  const first = e.iouThresholds[0] as number;
  const last = e.iouThresholds[e.iouThresholds.length - 1] as number;
  const iou = (
    spec.iouThreshold === undefined ? `${formatFixed(first, 2)}:${formatFixed(last, 2)}` : formatFixed(spec.iouThreshold, 2)
  ).padEnd(9);
  return ` ${title} ${kind} @[ IoU=${iou} | area=${spec.area.padStart(6)} | maxDets=${String(spec.maxDets).padStart(3)} ] = ${formatFixed(value, 3)}`;
}

function cell(value: number): string {
  return value > -1 ? formatFixed(value, 3) : '-';
}

/** Columns padded to their widest cell: the text column `leftColumn` aligned left, numbers right. */
function table(header: string[], rows: string[][], leftColumn: number): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((v, c) => (c === leftColumn ? v.padEnd(widths[c] ?? 0) : v.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatCocoReport(e: CocoEvaluation): string {
  const summary = cocoSummary(e);
  const lines = COCO_SUMMARY_SPECS.map((spec) => formatCocoSummaryLine(spec, summary[spec.name], e));
  const perClass = cocoPerClass(e);
  if (perClass.length > 0) {
    lines.push('', 'Per category (AP and AR at IoU=0.50:0.95 unless named, area=all, maxDets=100; "-": no ground truth):');
    const header = ['id', 'name', 'gt', 'crowd', 'dets', 'AP', 'AP50', 'AP75', 'AR100'];
    const rows = perClass.map((c) => [
      String(c.categoryId),
      c.name,
      String(c.groundTruth),
      String(c.crowd),
      String(c.detections),
      cell(c.summary.AP),
      cell(c.summary.AP50),
      cell(c.summary.AP75),
      cell(c.summary.AR100),
    ]);
    lines.push(...table(header, rows, 1).map((l) => '  ' + l));
  }
  return lines.join('\n') + '\n';
}

export interface CocoJsonClass extends CocoSummary {
  category_id: number;
  name: string;
  num_gt: number;
  num_crowd: number;
  num_dets: number;
}

export type CocoJsonReport = CocoSummary & { metric: 'coco'; per_class: CocoJsonClass[] };

function classJson(c: CocoClassResult): CocoJsonClass {
  const out = {
    category_id: c.categoryId,
    name: c.name,
    num_gt: c.groundTruth,
    num_crowd: c.crowd,
    num_dets: c.detections,
  } as CocoJsonClass;
  for (const name of COCO_SUMMARY_NAMES) out[name] = c.summary[name];
  return out;
}

export function cocoJsonReport(e: CocoEvaluation): CocoJsonReport {
  return { ...cocoSummary(e), per_class: cocoPerClass(e).map(classJson), metric: 'coco' };
}

export interface VocJsonClass {
  category_id: number;
  name: string;
  AP: number;
  num_gt: number;
  num_difficult: number;
  num_dets: number;
  tp: number;
  fp: number;
}

export interface VocJsonReport {
  metric: 'voc07' | 'voc12';
  iou: number;
  mAP: number;
  per_class: VocJsonClass[];
}

export function vocJsonReport(e: VocEvaluation): VocJsonReport {
  return {
    metric: e.metric,
    iou: e.iouThreshold,
    mAP: e.mAP,
    per_class: e.perClass.map((c) => ({
      category_id: c.categoryId,
      name: c.name,
      AP: c.ap,
      num_gt: c.groundTruth,
      num_difficult: c.difficult,
      num_dets: c.detections,
      tp: c.truePositives,
      fp: c.falsePositives,
    })),
  };
}

const VOC_TITLES = { voc07: 'PASCAL VOC2007 11-point AP', voc12: 'PASCAL VOC2010+ all-point AP' } as const;

export function formatVocReport(e: VocEvaluation): string {
  const defined = e.perClass.filter((c) => c.ap > -1).length;
  const lines = [`${VOC_TITLES[e.metric]} at IoU ≥ ${e.iouThreshold} ("-": no ground truth):`];
  const header = ['id', 'name', 'gt', 'difficult', 'dets', 'tp', 'fp', 'AP'];
  const rows = e.perClass.map((c) => [
    String(c.categoryId),
    c.name,
    String(c.groundTruth),
    String(c.difficult),
    String(c.detections),
    String(c.truePositives),
    String(c.falsePositives),
    cell(c.ap),
  ]);
  lines.push(...table(header, rows, 1).map((l) => '  ' + l));
  lines.push(`mAP = ${e.mAP > -1 ? formatFixed(e.mAP, 4) : '-'} over ${defined} class${defined === 1 ? '' : 'es'} with ground truth`);
  return lines.join('\n') + '\n';
}
