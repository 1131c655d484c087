// What `activate` returns: the extension's API for tests and other extensions. Lets a caller
// wait for analysis instead of sleeping.

import type * as vscode from 'vscode';
import type { AnalysisEvent } from './analysis-cache';

export interface ConvLensApi {
  /** Time `activate` took, in milliseconds. */
  readonly activationMs: number;
  /** Fires after each analysis of a model document (diagnostics are published by then). */
  readonly onDidAnalyze: vscode.Event<AnalysisEvent>;
  /** Resolves once `uri` is analyzed at `version` or later (default: its current version). */
  whenAnalyzed(uri: vscode.Uri, version?: number): Promise<AnalysisEvent>;
}

export type { AnalysisEvent };
