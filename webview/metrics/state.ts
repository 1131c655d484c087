// What VS Code keeps across a reload of the metrics panel: the user's choices (PersistedState),
// read back field by field so a stale or foreign state falls back to defaults; and the page's
// typed host (../shared/host.ts).

import type { Host as SharedHost } from '../shared/host';
import type { FromMetricsWebview, MetricKind } from '../../src/shared/metrics-messages';
import type { CurveChoice } from './chart-data';
import type { SortDirection, SortState } from './tables';

export interface PersistedState {
  metric: MetricKind;
  /** IoU threshold of voc07/voc12. */
  vocIou: number;
  /** Curves drawn per class (IoU threshold indices or 'mean'); null: the default .50, .75, mean. */
  curves: CurveChoice[] | null;
  sort: SortState | null;
  imageId: number | null;
  /** IoU threshold of the image view. */
  imageIou: number;
  labels: boolean;
}

export const DEFAULT_STATE: PersistedState = {
  metric: 'coco',
  vocIou: 0.5,
  curves: null,
  sort: null,
  imageId: null,
  imageIou: 0.5,
  labels: true,
};

function iou(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 && value <= 1 ? value : fallback;
}

export function restoreState(saved: unknown): PersistedState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
  const metric = s['metric'] === 'voc07' || s['metric'] === 'voc12' || s['metric'] === 'coco' ? s['metric'] : 'coco';
  const curves = Array.isArray(s['curves'])
    ? (s['curves'] as unknown[]).filter(
        (c): c is CurveChoice => c === 'mean' || (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c < 32),
      )
    : null;
  const sortValue = s['sort'] as Record<string, unknown> | null | undefined;
  const direction = sortValue?.['direction'];
  const sort =
    typeof sortValue === 'object' &&
    sortValue !== null &&
    typeof sortValue['key'] === 'string' &&
    (direction === 'ascending' || direction === 'descending')
      ? { key: sortValue['key'], direction: direction as SortDirection }
      : null;
  return {
    metric,
    vocIou: iou(s['vocIou'], DEFAULT_STATE.vocIou),
    curves,
    sort,
    imageId: typeof s['imageId'] === 'number' && Number.isSafeInteger(s['imageId']) ? s['imageId'] : null,
    imageIou: iou(s['imageIou'], DEFAULT_STATE.imageIou),
    labels: typeof s['labels'] === 'boolean' ? s['labels'] : true,
  };
}

/** The extension, as the metrics page talks to it. */
export type Host = SharedHost<FromMetricsWebview, PersistedState>;
