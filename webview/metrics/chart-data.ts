// The lines of the precision–recall charts, as plain data: for COCO, one line per chosen IoU
// threshold (and the .50:.95 mean) from a class's 101 interpolated precisions; for VOC, the raw
// curve and its envelope. Each line names the theme colour it is drawn in (a CSS variable), so
// the page reads the colour from the current theme. Pure: no DOM, no chart library.

import { precisionEnvelopeInPlace } from '../../src/core/metrics/interpolation';
import type { CocoClassCurves, VocClassRow } from '../../src/shared/metrics-messages';
import { iouText } from './format';

/** A chosen curve: an index into the IoU thresholds, or the mean over all of them. */
export type CurveChoice = number | 'mean';

export interface ChartPoint {
  x: number;
  y: number;
  /** The score threshold that reaches this point (COCO), for the tooltip. */
  score?: number;
}

export interface Series {
  key: string;
  label: string;
  /** `--vscode-charts-*` variable to draw it in. */
  colourVar: string;
  width: number;
  dashed: boolean;
  /** Drawn as a staircase (envelopes). */
  stepped: boolean;
  points: ChartPoint[];
}

/** VS Code's chart colours, in the order secondary curves use them. */
const PALETTE = ['--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-red'];

export function choiceKey(choice: CurveChoice): string {
  return choice === 'mean' ? 'mean' : `iou${choice}`;
}

/** The theme colour of a curve: .50 blue, .75 orange, the mean in the foreground colour, the others from the palette. */
export function curveColourVar(choice: CurveChoice, iouThresholds: readonly number[]): string {
  if (choice === 'mean') return '--vscode-charts-foreground';
  const t = iouThresholds[choice];
  if (t === 0.5) return '--vscode-charts-blue';
  if (t === 0.75) return '--vscode-charts-orange';
  return PALETTE[choice % PALETTE.length] as string;
}

export function curveLabel(choice: CurveChoice, iouThresholds: readonly number[]): string {
  if (choice === 'mean')
    return `IoU ${iouText(iouThresholds[0] ?? 0.5)}:${iouText(iouThresholds[iouThresholds.length - 1] ?? 0.95)} (mean)`;
  return `IoU ${iouText(iouThresholds[choice] ?? NaN)}`;
}

/** The chooser's default: .50, .75 and the mean, as COCO's AP50, AP75 and AP. */
export function defaultChoices(iouThresholds: readonly number[]): CurveChoice[] {
  const out: CurveChoice[] = [];
  const at50 = iouThresholds.indexOf(0.5);
  const at75 = iouThresholds.indexOf(0.75);
  if (at50 >= 0) out.push(at50);
  if (at75 >= 0) out.push(at75);
  out.push('mean');
  return out;
}

/** The curves of one COCO class for the chosen thresholds; [] when the class has no ground truth. */
export function cocoSeries(
  curves: CocoClassCurves,
  recallThresholds: readonly number[],
  iouThresholds: readonly number[],
  choices: readonly CurveChoice[],
): Series[] {
  const R = recallThresholds.length;
  const T = iouThresholds.length;
  if (curves.precision.length !== (T + 1) * R) return [];
  return choices.map((choice) => {
    const row = choice === 'mean' ? T : choice;
    const points: ChartPoint[] = recallThresholds.map((x, r) => {
      const point: ChartPoint = { x, y: curves.precision[row * R + r] as number };
      if (choice !== 'mean') point.score = curves.scores[row * R + r] as number;
      return point;
    });
    return {
      key: choiceKey(choice),
      label: curveLabel(choice, iouThresholds),
      colourVar: curveColourVar(choice, iouThresholds),
      width: choice === 'mean' ? 2.5 : 1.5,
      dashed: choice === 'mean',
      stepped: false,
      points,
    };
  });
}

/** A VOC class's raw curve (one point per detection, thinned) and its envelope, which the AP integrates. */
export function vocSeries(row: VocClassRow): Series[] {
  if (row.ap === -1) return [];
  if (row.recall.length === 0) {
    // Objects but no detection: precision 0 at every recall (AP 0), drawn as such.
    const flat: ChartPoint[] = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
    ];
    return [
      { key: 'envelope', label: 'envelope', colourVar: '--vscode-charts-orange', width: 2, dashed: true, stepped: true, points: flat },
    ];
  }
  const raw: ChartPoint[] = Array.from(row.recall, (x, i) => ({ x, y: row.precision[i] as number }));
  const envelope = Float64Array.from(row.precision);
  precisionEnvelopeInPlace(envelope);
  const stairs: ChartPoint[] = [{ x: 0, y: envelope[0] as number }, ...Array.from(row.recall, (x, i) => ({ x, y: envelope[i] as number }))];
  return [
    { key: 'raw', label: 'precision', colourVar: '--vscode-charts-blue', width: 1.5, dashed: false, stepped: false, points: raw },
    { key: 'envelope', label: 'envelope', colourVar: '--vscode-charts-orange', width: 2, dashed: true, stepped: true, points: stairs },
  ];
}
