// How the metrics page writes numbers and names: the COCO summary exactly as pycocotools prints it
// (3 decimals, half to even, -1.000 where undefined), per-class values with "–" where undefined,
// and the labels of IoU thresholds. Pure: no DOM.

import { COCO_SUMMARY_SPECS, formatFixed, type CocoSummarySpec } from '../../src/core/metrics';
import type { MetricKind } from '../../src/shared/metrics-messages';

/** pycocotools' printout of one summary value: `0.247`, `-1.000` for undefined. */
export function summaryText(value: number): string {
  return formatFixed(value, 3);
}

/** A per-class value: 3 decimals, or "–" where the class has nothing to measure (-1). */
export function classValueText(value: number): string {
  return value > -1 ? formatFixed(value, 3) : '–';
}

/** An IoU threshold as COCO writes it: 0.50, 0.75, 0.90 (0.8999999999999999 is numpy's 0.90). */
export function iouText(threshold: number): string {
  return formatFixed(threshold, 2);
}

export interface SummaryRow {
  name: string;
  /** "Average Precision (AP)" / "Average Recall (AR)". */
  measure: string;
  iou: string;
  area: string;
  maxDets: string;
  value: number;
  text: string;
}

/** The 12 rows of pycocotools' summarize(), from the summary values in COCO_SUMMARY_NAMES order. */
export function cocoSummaryRows(summary: readonly number[], iouThresholds: readonly number[]): SummaryRow[] {
  const first = iouThresholds[0] ?? 0.5;
  const last = iouThresholds[iouThresholds.length - 1] ?? 0.95;
  return COCO_SUMMARY_SPECS.map((spec: CocoSummarySpec, i) => {
    const value = summary[i] ?? -1;
    return {
      name: spec.name,
      measure: spec.measure === 'precision' ? 'Average Precision (AP)' : 'Average Recall (AR)',
      iou: spec.iouThreshold === undefined ? `${iouText(first)}:${iouText(last)}` : iouText(spec.iouThreshold),
      area: spec.area,
      maxDets: String(spec.maxDets),
      value,
      text: summaryText(value),
    };
  });
}

export const METRIC_TITLES: Record<MetricKind, string> = {
  coco: 'COCO (pycocotools)',
  voc07: 'PASCAL VOC2007 (11-point)',
  voc12: 'PASCAL VOC2010+ (all-point)',
};

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
