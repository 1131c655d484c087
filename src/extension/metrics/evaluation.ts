// Validation and evaluation of one ground truth / detections pair inside the extension host. The
// COCO and VOC evaluators run in their async form (a slice of at most ~16 ms, then a turn of the
// event loop), so the host keeps answering hovers and completions during a 5,000-image run; a
// cancellable notification shows their progress fractions.

import * as vscode from 'vscode';
import {
  formatInputIssue,
  parseCocoEvaluationInputs,
  type AsyncEvaluationControl,
  type DetectionDataset,
  type InputIssue,
} from '../../core/metrics';
import type { LoadedJson } from './inputs';
import { indexByImage, readImageMeta, type ImageIndex, type ImageMeta } from './view-model';

/** Longest stretch of evaluation between two turns of the host's event loop. */
export const EVALUATION_SLICE_MS = 16;

/** A validated pair of files, kept while a panel shows it (VOC and image views read it again). */
export interface EvaluationSession {
  groundTruth: { uri: vscode.Uri; name: string };
  detections: { uri: vscode.Uri; name: string };
  dataset: DetectionDataset;
  index: ImageIndex;
  meta: Map<number, ImageMeta>;
  /** Warnings, formatted with file name and JSON path. */
  warnings: string[];
}

export type ValidationOutcome =
  { status: 'valid'; session: EvaluationSession; issues: InputIssue[] } | { status: 'invalid'; issues: InputIssue[] };

export function validateInputs(groundTruth: LoadedJson, detections: LoadedJson): ValidationOutcome {
  const { dataset, issues } = parseCocoEvaluationInputs(groundTruth.value, detections.value);
  if (dataset === undefined) return { status: 'invalid', issues };
  const fileOf = (issue: InputIssue): string => (issue.source === 'ground-truth' ? groundTruth.name : detections.name);
  return {
    status: 'valid',
    issues,
    session: {
      groundTruth: { uri: groundTruth.uri, name: groundTruth.name },
      detections: { uri: detections.uri, name: detections.name },
      dataset,
      index: indexByImage(dataset),
      meta: readImageMeta(groundTruth.value),
      warnings: issues.filter((i) => i.severity === 'warning').map((i) => formatInputIssue(i, fileOf(i))),
    },
  };
}

export interface ProgressHooks {
  /** Checked with the notification's Cancel button. */
  cancellation?: vscode.CancellationToken;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface ProgressReporter {
  /** A new line under the notification's title (e.g. "checking 5,000 images…"). */
  say(message: string): void;
  /** Evaluation control wired to the bar (whole percents), the hooks and the Cancel button. */
  control(label: string): AsyncEvaluationControl;
  readonly cancelled: boolean;
}

/** Runs `task` under a cancellable progress notification. */
export function withEvaluationProgress<T>(
  title: string,
  hooks: ProgressHooks,
  task: (reporter: ProgressReporter) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    let percent = 0;
    const cancelled = (): boolean =>
      token.isCancellationRequested || hooks.cancellation?.isCancellationRequested === true || hooks.signal?.aborted === true;
    const reporter: ProgressReporter = {
      say: (message) => progress.report({ message }),
      control: (label) => ({
        sliceMs: EVALUATION_SLICE_MS,
        isCancelled: cancelled,
        onProgress: (fraction) => {
          hooks.onProgress?.(fraction);
          const now = Math.floor(fraction * 100);
          if (now > percent) {
            progress.report({ increment: now - percent, message: `${label} ${now}%` });
            percent = now;
          }
        },
      }),
      get cancelled() {
        return cancelled();
      },
    };
    return task(reporter);
  });
}

/** A turn of the event loop, so a notification can paint before a synchronous step. */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
