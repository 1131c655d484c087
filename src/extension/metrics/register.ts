// "ConvLens: Evaluate Detections": reads a COCO ground truth and a results list, validates them
// (problems go to the Problems view at the offending JSON value, and the first one to an error
// message naming its JSON path), evaluates COCO under a cancellable progress notification, and
// opens a panel with the results. The same pair evaluated again reuses its panel. Everything
// registered here goes into context.subscriptions.

import * as vscode from 'vscode';
import { evaluateCocoAsync, formatInputIssue, type InputIssue } from '../../core/metrics';
import { Commands } from '../commands';
import { validateInputs, withEvaluationProgress, yieldToHost, type EvaluationSession } from './evaluation';
import { isOptions, loadInputs, type LoadedJson } from './inputs';
import { jsonPathRange, lineLocator, type LineColumn } from './json-text';
import { MetricsPanel, type MetricsHandle } from './panel';
import { cocoResultsMessage } from './view-model';

export interface EvaluationTimings {
  /** parseCocoEvaluationInputs: one synchronous step. */
  validateMs: number;
  /** The async COCO evaluation, from start to result. */
  evaluateMs: number;
  /** Summary, per-class rows and PR curves for the panel. */
  resultsMs: number;
  /** From the command's start (after any dialog) to the panel's creation. */
  totalMs: number;
  /** Progress fractions the evaluator reported. */
  progressReports: number;
}

/** What the command resolves to (for tests and programmatic callers). */
export type EvaluateDetectionsResult =
  | { status: 'shown'; panel: MetricsHandle; timings: EvaluationTimings }
  /** Validation errors: `message` is the error message shown, naming the first problem's file and JSON path. */
  | { status: 'invalid'; message: string; issues: InputIssue[] }
  | { status: 'unreadable'; message: string }
  | { status: 'cancelled' }
  | { status: 'dismissed' };

/** Issues past this many per file are listed at the file's start: locating each one scans the text. */
const LOCATED_ISSUES = 20;

export function registerMetrics(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('ConvLens Metrics', { log: true });
  const problems = vscode.languages.createDiagnosticCollection('convlens-metrics');
  const panels = new Map<string, MetricsPanel>();
  const services = { extensionUri: context.extensionUri, log };

  const showPanel = (session: EvaluationSession, coco: ReturnType<typeof cocoResultsMessage>): MetricsPanel => {
    const key = `${session.groundTruth.uri.toString()}\n${session.detections.uri.toString()}`;
    const existing = panels.get(key);
    if (existing && !existing.isDisposed) {
      existing.replaceSession(session, coco);
      return existing;
    }
    // The active group: the tables and the grid of charts want the width, and the JSON files
    // the panel came from are rarely read beside it.
    const panel = new MetricsPanel(session, coco, services, vscode.ViewColumn.Active, () => panels.delete(key));
    panels.set(key, panel);
    return panel;
  };

  const evaluateDetections = async (...args: unknown[]): Promise<EvaluateDetectionsResult> => {
    const options = isOptions(args[0]) ? args[0] : {};
    const loaded = await loadInputs(args);
    if (loaded.status === 'dismissed') return loaded;
    if (loaded.status === 'unreadable') {
      const message = `ConvLens: ${loaded.message}`;
      log.error(message);
      void vscode.window.showErrorMessage(message);
      return { status: 'unreadable', message };
    }
    const { groundTruth, detections } = loaded;
    const started = performance.now();
    let progressReports = 0;
    const hooks = {
      ...(options.cancellation ? { cancellation: options.cancellation } : {}),
      onProgress: (fraction: number) => {
        progressReports += 1;
        options.onProgress?.(fraction);
      },
    };
    const outcome = await withEvaluationProgress(
      `ConvLens: evaluating ${detections.name} against ${groundTruth.name}`,
      hooks,
      async (reporter) => {
        reporter.say('checking both files…');
        await yieldToHost(); // let the notification appear before the synchronous check
        const t0 = performance.now();
        const validation = validateInputs(groundTruth, detections);
        const validateMs = performance.now() - t0;
        if (validation.status === 'invalid') return { kind: 'invalid', issues: validation.issues } as const;
        publishProblems(problems, groundTruth, detections, validation.issues);
        if (reporter.cancelled) return { kind: 'cancelled' } as const;
        const { dataset } = validation.session;
        reporter.say(
          `COCO: ${dataset.imageIds.length.toLocaleString('en-US')} images, ${dataset.detections.length.toLocaleString('en-US')} detections`,
        );
        const t1 = performance.now();
        const coco = await evaluateCocoAsync(dataset, reporter.control('COCO'));
        const evaluateMs = performance.now() - t1;
        if (coco.status === 'cancelled') return { kind: 'cancelled' } as const;
        const t2 = performance.now();
        const results = cocoResultsMessage(coco.result, 0, evaluateMs);
        const resultsMs = performance.now() - t2;
        return { kind: 'done', session: validation.session, results, validateMs, evaluateMs, resultsMs } as const;
      },
    );

    if (outcome.kind === 'invalid') {
      publishProblems(problems, groundTruth, detections, outcome.issues);
      const message = invalidMessage(outcome.issues, groundTruth, detections);
      for (const issue of outcome.issues)
        log.error(formatInputIssue(issue, issue.source === 'ground-truth' ? groundTruth.name : detections.name));
      void vscode.window.showErrorMessage(message, 'Show in File', 'Show Problems').then((choice) => {
        const first = outcome.issues.find((i) => i.severity === 'error');
        if (choice === 'Show in File' && first) void revealIssue(first, first.source === 'ground-truth' ? groundTruth : detections);
        else if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return { status: 'invalid', message, issues: outcome.issues };
    }
    if (outcome.kind === 'cancelled') {
      log.info(`evaluation of ${detections.name} against ${groundTruth.name} cancelled`);
      return { status: 'cancelled' };
    }
    const panel = showPanel(outcome.session, outcome.results);
    const timings: EvaluationTimings = {
      validateMs: outcome.validateMs,
      evaluateMs: outcome.evaluateMs,
      resultsMs: outcome.resultsMs,
      totalMs: performance.now() - started,
      progressReports,
    };
    const { dataset } = outcome.session;
    log.info(
      `${detections.name} vs ${groundTruth.name}: ${dataset.imageIds.length} images, ${dataset.groundTruth.length} objects, ${dataset.detections.length} detections; ` +
        `validate ${timings.validateMs.toFixed(0)} ms, COCO ${timings.evaluateMs.toFixed(0)} ms (${progressReports} progress reports), panel data ${timings.resultsMs.toFixed(0)} ms`,
    );
    return { status: 'shown', panel, timings };
  };

  context.subscriptions.push(log, problems, vscode.commands.registerCommand(Commands.evaluateDetections, evaluateDetections), {
    dispose: () => {
      for (const panel of [...panels.values()]) panel.dispose();
    },
  });
}

/** "ConvLens: cannot evaluate: gt.json: annotations[1]: missing `bbox` … (and 3 more problems)". */
export function invalidMessage(issues: readonly InputIssue[], groundTruth: LoadedJson, detections: LoadedJson): string {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0];
  if (first === undefined) return 'ConvLens: cannot evaluate these files';
  const more = errors.length - 1;
  const where = formatInputIssue(first, first.source === 'ground-truth' ? groundTruth.name : detections.name).replace(': error: ', ': ');
  return `ConvLens: cannot evaluate: ${where}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'}: see Problems)` : ''}`;
}

function issueRange(issue: InputIssue, file: LoadedJson, locate: (offset: number) => LineColumn = lineLocator(file.text)): vscode.Range {
  const found = jsonPathRange(file.text, issue.path);
  if (found === undefined) return new vscode.Range(0, 0, 0, 0);
  const start = locate(found.start);
  // A value spanning lines (an object, an array) is marked on its first line only.
  const lineEnd = file.text.indexOf('\n', found.start);
  const end = locate(lineEnd >= 0 ? Math.min(found.end, lineEnd) : found.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

function publishProblems(
  problems: vscode.DiagnosticCollection,
  groundTruth: LoadedJson,
  detections: LoadedJson,
  issues: readonly InputIssue[],
): void {
  for (const file of [groundTruth, detections]) {
    const source = file === groundTruth ? 'ground-truth' : 'detections';
    const own = issues.filter((i) => i.source === source);
    const locate = lineLocator(file.text);
    problems.set(
      file.uri,
      own.map((issue, n) => {
        const range = n < LOCATED_ISSUES ? issueRange(issue, file, locate) : new vscode.Range(0, 0, 0, 0);
        const text = issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
        const diagnostic = new vscode.Diagnostic(
          range,
          text,
          issue.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = 'ConvLens';
        return diagnostic;
      }),
    );
  }
}

async function revealIssue(issue: InputIssue, file: LoadedJson): Promise<void> {
  const range = issueRange(issue, file);
  const editor = await vscode.window.showTextDocument(file.uri, { selection: range, preview: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
