// What the image view draws, as plain data: the image's size (from its `images` entry, or the
// boxes' extent when the entry has none), the scale that fits it into the panel, and each box's
// role, colour and label. The canvas code only paints these. Pure: no DOM.

import type { ImageBoxesMessage } from '../../src/shared/metrics-messages';
import { iouText } from './format';
import type { ImageMatches } from './matching';

export interface Size {
  width: number;
  height: number;
}

/** The image's width and height; without them in the ground truth, the smallest frame holding every box. */
export function imageSize(boxes: ImageBoxesMessage): Size {
  const { width, height } = boxes.image;
  if (width !== null && height !== null) return { width, height };
  let right = 1;
  let bottom = 1;
  for (const b of [...boxes.objects.map((o) => o.bbox), ...boxes.detections.map((d) => d.bbox)]) {
    right = Math.max(right, (b[0] ?? 0) + (b[2] ?? 0));
    bottom = Math.max(bottom, (b[1] ?? 0) + (b[3] ?? 0));
  }
  return { width: width ?? Math.ceil(right), height: height ?? Math.ceil(bottom) };
}

/** CSS pixels per image pixel so the image fits `maxWidth` × `maxHeight` (never enlarged past 2×). */
export function fitScale(image: Size, maxWidth: number, maxHeight: number): number {
  return Math.max(0.05, Math.min(maxWidth / image.width, maxHeight / image.height, 2));
}

export type BoxRole = 'tp' | 'fp' | 'ignored' | 'notEvaluated' | 'matchedObject' | 'missedObject' | 'crowd';

/** TP green, FP red, ignored and crowd grey, missed objects yellow: the theme's chart colours. */
export const ROLE_COLOUR_VARS: Record<BoxRole, string> = {
  tp: '--vscode-charts-green',
  fp: '--vscode-charts-red',
  ignored: '--vscode-disabledForeground',
  notEvaluated: '--vscode-disabledForeground',
  matchedObject: '--vscode-charts-green',
  missedObject: '--vscode-charts-yellow',
  crowd: '--vscode-disabledForeground',
};

export interface DrawnBox {
  kind: 'object' | 'detection';
  role: BoxRole;
  /** [x, y, width, height] in image pixels. */
  bbox: readonly number[];
  label: string;
  /** Ground truth dashed, detections solid. */
  dashed: boolean;
  /** Index into the message's objects or detections. */
  index: number;
}

/**
 * The boxes to paint, back to front: objects first, then detections from the lowest score up so
 * the best ones end on top. Labels: class, score and IoU with the matched object (TP), or the
 * best IoU and why it is not a match (FP).
 */
export function drawnBoxes(
  boxes: ImageBoxesMessage,
  matches: ImageMatches,
  names: ReadonlyMap<number, string>,
  iouThreshold: number,
): DrawnBox[] {
  const name = (id: number): string => names.get(id) ?? `class ${id}`;
  const out: DrawnBox[] = boxes.objects.map((o, i) => {
    const m = matches.objects[i];
    const role: BoxRole = o.iscrowd ? 'crowd' : m?.matchedBy === null || m === undefined ? 'missedObject' : 'matchedObject';
    const state = role === 'crowd' ? 'crowd' : role === 'missedObject' ? 'missed' : 'found';
    return { kind: 'object', role, bbox: o.bbox, label: `${name(o.categoryId)} #${o.id} (${state})`, dashed: true, index: i };
  });
  const order = boxes.detections
    .map((_, i) => i)
    .sort((a, b) => (boxes.detections[a]?.score ?? 0) - (boxes.detections[b]?.score ?? 0) || b - a);
  for (const i of order) {
    const d = boxes.detections[i];
    const m = matches.detections[i];
    if (d === undefined || m === undefined) continue;
    const head = `${name(d.categoryId)} ${d.score.toFixed(2)}`;
    let tail: string;
    switch (m.outcome) {
      case 'tp':
        tail = `IoU ${m.iou.toFixed(2)} TP`;
        break;
      case 'ignored':
        tail = `IoU ${m.iou.toFixed(2)} crowd, ignored`;
        break;
      case 'notEvaluated':
        tail = `not evaluated (past ${m.rank} better ones)`;
        break;
      default:
        tail = m.duplicate
          ? `IoU ${m.iou.toFixed(2)} FP duplicate`
          : m.iou === 0
            ? 'FP, no overlap'
            : `IoU ${m.iou.toFixed(2)} < ${iouText(iouThreshold)} FP`;
    }
    out.push({ kind: 'detection', role: m.outcome, bbox: d.bbox, label: `${head} · ${tail}`, dashed: false, index: i });
  }
  return out;
}

/** The boxes under an image-space point, smallest first (the one most likely meant), for the hover text. */
export function boxesAt(boxes: readonly DrawnBox[], x: number, y: number): DrawnBox[] {
  return boxes
    .filter(
      (b) =>
        x >= (b.bbox[0] ?? 0) &&
        x <= (b.bbox[0] ?? 0) + (b.bbox[2] ?? 0) &&
        y >= (b.bbox[1] ?? 0) &&
        y <= (b.bbox[1] ?? 0) + (b.bbox[3] ?? 0),
    )
    .sort((a, b) => (a.bbox[2] ?? 0) * (a.bbox[3] ?? 0) - (b.bbox[2] ?? 0) * (b.bbox[3] ?? 0));
}

/** Labels painted on the canvas: every detection, and objects only when missed (found ones sit under their TP). */
export function isLabelled(box: DrawnBox): boolean {
  return box.kind === 'detection' || box.role === 'missedObject';
}
