// The per-class tables: their columns (COCO and VOC) and sorting. A click on a header sorts by
// that column, a second click reverses; classes without a value (-1: no ground truth) stay at
// the bottom either way, and equal values keep the category order. Pure: no DOM.

import { COCO_SUMMARY_NAMES, type CocoSummaryName } from '../../src/core/metrics';
import type { CocoClassRow, VocClassRow } from '../../src/shared/metrics-messages';
import { classValueText } from './format';

export interface Column<R> {
  key: string;
  label: string;
  /** Tooltip of the header. */
  title: string;
  numeric: boolean;
  value(row: R): number | string;
  text(row: R): string;
}

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  key: string;
  direction: SortDirection;
}

function count<R>(key: string, label: string, title: string, value: (row: R) => number): Column<R> {
  return { key, label, title, numeric: true, value, text: (row) => value(row).toLocaleString('en-US') };
}

function metric<R>(key: string, label: string, title: string, value: (row: R) => number): Column<R> {
  return { key, label, title, numeric: true, value, text: (row) => classValueText(value(row)) };
}

const summaryIndex = (name: CocoSummaryName): number => COCO_SUMMARY_NAMES.indexOf(name);

function cocoMetric(name: CocoSummaryName, title: string): Column<CocoClassRow> {
  const i = summaryIndex(name);
  return metric(name, name, title, (row) => row.summary[i] ?? -1);
}

export const COCO_COLUMNS: readonly Column<CocoClassRow>[] = [
  count('id', 'id', 'category id', (r) => r.categoryId),
  { key: 'name', label: 'class', title: 'category name', numeric: false, value: (r) => r.name, text: (r) => r.name },
  count('gt', 'gt', 'ground-truth objects (crowd regions not counted)', (r) => r.groundTruth),
  count('crowd', 'crowd', 'crowd regions', (r) => r.crowd),
  count('dets', 'dets', 'detections', (r) => r.detections),
  cocoMetric('AP', 'AP at IoU .50:.95, area all, 100 detections per image'),
  cocoMetric('AP50', 'AP at IoU .50'),
  cocoMetric('AP75', 'AP at IoU .75'),
  cocoMetric('APs', 'AP for small objects (area ≤ 32²)'),
  cocoMetric('APm', 'AP for medium objects (32² ≤ area ≤ 96²)'),
  cocoMetric('APl', 'AP for large objects (area ≥ 96²)'),
  cocoMetric('AR100', 'recall at IoU .50:.95 with 100 detections per image'),
];

export const VOC_COLUMNS: readonly Column<VocClassRow>[] = [
  count('id', 'id', 'category id', (r) => r.categoryId),
  { key: 'name', label: 'class', title: 'category name', numeric: false, value: (r) => r.name, text: (r) => r.name },
  count('gt', 'gt', 'countable objects (not difficult, not crowd)', (r) => r.groundTruth),
  count('difficult', 'difficult', 'difficult objects and crowd regions (ignored)', (r) => r.difficult),
  count('dets', 'dets', 'detections', (r) => r.detections),
  count('tp', 'TP', 'true positives', (r) => r.truePositives),
  count('fp', 'FP', 'false positives (duplicates included)', (r) => r.falsePositives),
  metric('AP', 'AP', 'average precision with the metric’s interpolation', (r) => r.ap),
];

/** Rows sorted by `column`; -1 (undefined) values last in both directions; ties keep their order. */
export function sortRows<R>(rows: readonly R[], column: Column<R>, direction: SortDirection): R[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      if (typeof a.value === 'number' && typeof b.value === 'number') {
        const aUndefined = a.value === -1 && column.key !== 'id';
        const bUndefined = b.value === -1 && column.key !== 'id';
        if (aUndefined !== bUndefined) return aUndefined ? 1 : -1;
        return sign * (a.value - b.value) || a.index - b.index;
      }
      return sign * String(a.value).localeCompare(String(b.value)) || a.index - b.index;
    })
    .map((entry) => entry.row);
}

/** The state after a click on the header `key`: the same column flips, a new one starts descending (numbers) or ascending (names). */
export function nextSort(current: SortState | undefined, key: string, numeric: boolean): SortState {
  if (current?.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: numeric && key !== 'id' ? 'descending' : 'ascending' };
}
