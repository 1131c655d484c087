// `convlens eval GT.json DETS.json [--metric coco|voc07|voc12] [--iou T] [--json]`: detection
// metrics from a COCO-format ground truth and a results list. All the work is in
// src/core/metrics; this file reads files, parses arguments and prints. Exit status: 0 ok,
// 2 usage, I/O or invalid input (each problem is named on stderr with its JSON path).

import { readFile } from 'node:fs/promises';
import {
  type EvaluationControl,
  cocoJsonReport,
  evaluateCoco,
  evaluateVoc,
  formatCocoReport,
  formatInputIssue,
  formatVocReport,
  parseCocoEvaluationInputs,
  vocJsonReport,
} from '../core/metrics';

const USAGE = 'usage: convlens eval GT.json DETS.json [--metric coco|voc07|voc12] [--iou T] [--json]';
const METRICS = ['coco', 'voc07', 'voc12'] as const;
type Metric = (typeof METRICS)[number];

interface EvalArgs {
  groundTruthPath: string;
  detectionsPath: string;
  metric: Metric;
  iou: number | undefined;
  json: boolean;
}

function parseArgs(argv: string[]): EvalArgs | string {
  const positional: string[] = [];
  let metric: Metric = 'coco';
  let iou: number | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const takeValue = (): string | undefined => inlineValue ?? argv[++i];
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--metric': {
        const value = takeValue();
        if (!METRICS.includes(value as Metric))
          return `--metric must be one of ${METRICS.join(', ')}, got ${value === undefined ? 'nothing' : `'${value}'`}`;
        metric = value as Metric;
        break;
      }
      case '--iou': {
        const value = takeValue();
        const parsed = value === undefined || value.trim() === '' ? NaN : Number(value);
        if (!(parsed > 0 && parsed <= 1)) return `--iou must be a number in (0, 1], got ${value === undefined ? 'nothing' : `'${value}'`}`;
        iou = parsed;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') return `unknown option '${arg}'`;
        positional.push(arg);
    }
  }
  if (positional.length !== 2) return `expected 2 files (ground truth, then detections), got ${positional.length}`;
  if (metric === 'coco' && iou !== undefined) {
    return '--iou applies to --metric voc07 and voc12; COCO averages over IoU 0.50:0.05:0.95 (AP50 and AP75 are in its summary)';
  }
  return { groundTruthPath: positional[0] as string, detectionsPath: positional[1] as string, metric, iou, json };
}

async function readJson(path: string): Promise<{ value: unknown } | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { error: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A percentage on stderr while a large evaluation runs, only when stderr is a terminal. */
function terminalProgress(): EvaluationControl & { clear(): void } {
  if (!process.stderr.isTTY) return { clear: () => undefined };
  let shown = -1;
  return {
    onProgress: (fraction) => {
      const percent = Math.floor(fraction * 100);
      if (percent >= shown + 5) {
        shown = percent;
        process.stderr.write(`\rconvlens eval: ${percent}%`);
      }
    },
    clear: () => {
      if (shown >= 0) process.stderr.write('\r\x1b[K');
    },
  };
}

export async function runEvalCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`convlens eval: ${args}\n${USAGE}\n`);
    return 2;
  }
  const [groundTruth, detections] = await Promise.all([readJson(args.groundTruthPath), readJson(args.detectionsPath)]);
  for (const read of [groundTruth, detections]) {
    if ('error' in read) {
      process.stderr.write(`convlens eval: ${read.error}\n`);
      return 2;
    }
  }
  if (!('value' in groundTruth) || !('value' in detections)) return 2;

  const { dataset, issues } = parseCocoEvaluationInputs(groundTruth.value, detections.value);
  for (const issue of issues) {
    const file = issue.source === 'ground-truth' ? args.groundTruthPath : args.detectionsPath;
    process.stderr.write(formatInputIssue(issue, file) + '\n');
  }
  if (dataset === undefined) return 2;

  const progress = terminalProgress();
  if (args.metric === 'coco') {
    const outcome = evaluateCoco(dataset, progress);
    progress.clear();
    if (outcome.status !== 'done') return 2;
    process.stdout.write(args.json ? JSON.stringify(cocoJsonReport(outcome.result)) + '\n' : formatCocoReport(outcome.result));
  } else {
    const outcome = evaluateVoc(dataset, args.metric, args.iou ?? 0.5, progress);
    progress.clear();
    if (outcome.status !== 'done') return 2;
    process.stdout.write(args.json ? JSON.stringify(vocJsonReport(outcome.result)) + '\n' : formatVocReport(outcome.result));
  }
  return 0;
}
