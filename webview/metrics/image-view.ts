// The single-image view: one image's ground truth (dashed) and detections (solid) on a canvas,
// over the picture when the user picked its file and a neutral background sized to the image
// otherwise, coloured by their fate at the chosen IoU threshold, with a label per box and a table
// of the detections below.

import type { ImageBoxesMessage, ImageShownCounts } from '../../src/shared/metrics-messages';
import { boxesAt, drawnBoxes, fitScale, imageSize, isLabelled, ROLE_COLOUR_VARS, type BoxRole, type DrawnBox } from './box-layout';
import { cssVar, h, themeColour } from '../shared/dom';
import { iouText } from './format';
import { matchImage, type ImageMatches } from './matching';

/** Rows of the detection table: a crowded image is summarized by its best-scored detections. */
const TABLE_ROWS = 200;

export interface ImageDrawing {
  counts: ImageShownCounts;
  background: 'boxes' | 'image';
}

const ROLE_TEXT: Record<BoxRole, string> = {
  tp: 'TP',
  fp: 'FP',
  ignored: 'ignored',
  notEvaluated: 'not evaluated',
  matchedObject: 'found',
  missedObject: 'missed',
  crowd: 'crowd',
};

function paintLabel(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string, maxX: number): void {
  const padding = 3;
  const metrics = ctx.measureText(text);
  const width = metrics.width + 2 * padding;
  const height = 15;
  const left = Math.max(0, Math.min(x, maxX - width));
  const top = y - height < 0 ? y : y - height;
  ctx.fillStyle = colour;
  ctx.globalAlpha = 0.85;
  ctx.fillRect(left, top, width, height);
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#000000';
  ctx.fillText(text, left + padding, top + height - 4);
}

/**
 * Paints the boxes of `boxes` at `iouThreshold` into `canvas`, scaled to fit `maxWidth`; returns
 * what was drawn and the matches (for the table).
 */
export function drawImage(
  canvas: HTMLCanvasElement,
  boxes: ImageBoxesMessage,
  names: ReadonlyMap<number, string>,
  iouThreshold: number,
  picture: ImageBitmap | undefined,
  maxWidth: number,
  showLabels: boolean,
): { drawing: ImageDrawing; matches: ImageMatches; shown: DrawnBox[] } {
  const size = imageSize(boxes);
  const scale = fitScale(size, maxWidth, 720);
  const cssWidth = Math.round(size.width * scale);
  const cssHeight = Math.round(size.height * scale);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d');
  const matches = matchImage(boxes.objects, boxes.detections, iouThreshold);
  const shown = drawnBoxes(boxes, matches, names, iouThreshold);
  if (ctx === null) return { drawing: { counts: matches.counts, background: 'boxes' }, matches, shown };

  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  if (picture) {
    ctx.drawImage(picture, 0, 0, cssWidth, cssHeight);
  } else {
    ctx.fillStyle = cssVar('--vscode-editorWidget-background', '#808080');
    ctx.fillRect(0, 0, cssWidth, cssHeight);
    ctx.strokeStyle = cssVar('--vscode-editorWidget-border', '#888888');
    ctx.strokeRect(0.5, 0.5, cssWidth - 1, cssHeight - 1);
  }
  ctx.font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  for (const box of shown) {
    const colour = themeColour(ROLE_COLOUR_VARS[box.role]);
    const [x, y, w, hgt] = box.bbox.map((v) => v * scale) as [number, number, number, number];
    ctx.strokeStyle = colour;
    ctx.lineWidth = box.kind === 'detection' ? 2 : 1.5;
    ctx.setLineDash(box.dashed ? [5, 3] : []);
    ctx.strokeRect(x, y, Math.max(w, 1), Math.max(hgt, 1));
  }
  ctx.setLineDash([]);
  if (showLabels) {
    for (const box of shown.filter(isLabelled)) {
      const [x, y, , hgt] = box.bbox.map((v) => v * scale) as [number, number, number, number];
      const colour = themeColour(ROLE_COLOUR_VARS[box.role]);
      // Objects are labelled under their box, detections above, so the two rarely collide.
      if (box.kind === 'object') paintLabel(ctx, box.label, x, Math.min(cssHeight, y + hgt + 15), colour, cssWidth);
      else paintLabel(ctx, box.label, x, y, colour, cssWidth);
    }
  }
  // Crowded images: the hover text lists the boxes under the pointer, smallest first.
  canvas.onmousemove = (event: MouseEvent) => {
    const under = boxesAt(shown, event.offsetX / scale, event.offsetY / scale);
    canvas.title = under.map((b) => b.label).join('\n');
  };
  return { drawing: { counts: matches.counts, background: picture ? 'image' : 'boxes' }, matches, shown };
}

/** The legend under the canvas, with the counts of this drawing. */
export function legend(counts: ImageShownCounts, iouThreshold: number): HTMLElement {
  const item = (role: BoxRole, text: string, dashed: boolean): HTMLElement => {
    const swatch = h('span', { class: `swatch${dashed ? ' dashed' : ''}` });
    swatch.style.borderColor = themeColour(ROLE_COLOUR_VARS[role]);
    return h('span', { class: 'legend-item', attrs: { 'data-role': role } }, swatch, text);
  };
  return h(
    'div',
    { class: 'legend' },
    item('tp', `${counts.truePositives} TP`, false),
    item('fp', `${counts.falsePositives} FP`, false),
    counts.ignored > 0 ? item('ignored', `${counts.ignored} ignored (on crowd)`, false) : null,
    counts.notEvaluated > 0 ? item('notEvaluated', `${counts.notEvaluated} past 100 per class`, false) : null,
    item('matchedObject', `${counts.matchedObjects} objects found`, true),
    item('missedObject', `${counts.missedObjects} missed`, true),
    counts.crowdRegions > 0 ? item('crowd', `${counts.crowdRegions} crowd`, true) : null,
    h('span', { class: 'muted' }, `at IoU ≥ ${iouText(iouThreshold)}; ground truth dashed, detections solid`),
  );
}

/** The detections of the image as a table, best score first. */
export function detectionTable(boxes: ImageBoxesMessage, matches: ImageMatches, names: ReadonlyMap<number, string>): HTMLElement {
  const order = boxes.detections
    .map((_, i) => i)
    .sort((a, b) => (boxes.detections[b]?.score ?? 0) - (boxes.detections[a]?.score ?? 0) || a - b);
  const rows = order.slice(0, TABLE_ROWS).map((i) => {
    const d = boxes.detections[i];
    const m = matches.detections[i];
    if (d === undefined || m === undefined) return null;
    const object = m.object === null ? undefined : boxes.objects[m.object];
    const role: BoxRole = m.outcome;
    const outcome = h('td', { class: `outcome ${role}` }, m.duplicate ? 'FP (duplicate)' : ROLE_TEXT[role]);
    return h(
      'tr',
      {},
      h('td', {}, names.get(d.categoryId) ?? String(d.categoryId)),
      h('td', { class: 'num' }, d.score.toFixed(3)),
      h('td', { class: 'num' }, m.iou.toFixed(3)),
      outcome,
      h('td', { class: 'num' }, object ? `#${object.id}` : '–'),
      h('td', { class: 'num muted' }, d.bbox.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))).join(', ')),
    );
  });
  const more = boxes.detections.length - TABLE_ROWS;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data detections' },
      h('thead', {}, h('tr', {}, ...['class', 'score', 'IoU', 'outcome', 'object', 'bbox [x, y, w, h]'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows),
    ),
    more > 0 ? h('p', { class: 'muted' }, `… and ${more} more detections with lower scores`) : null,
  );
}
