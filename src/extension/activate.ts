// Wires every feature to one analysis cache. Each feature registers its disposables in
// `context.subscriptions`; nothing here is module-level state.

import type * as vscode from 'vscode';
import { AnalysisCache } from './analysis-cache';
import type { ConvLensApi } from './api';
import { registerCodeActions } from './code-actions';
import { registerCodeLens } from './code-lens';
import { registerCompletion } from './completion';
import { registerDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { registerInlayHints } from './inlay-hints';
import { registerInlineShapesToggle } from './inline-shapes-toggle';
import { registerMetrics } from './metrics/register';
import { registerPreview } from './preview/register';
import { registerStatusBar } from './status-bar';
import { registerSummary } from './summary';
import { registerUltralytics } from './ultralytics';

export function activateConvLens(context: vscode.ExtensionContext, started: number): ConvLensApi {
  const cache = new AnalysisCache();
  context.subscriptions.push(cache);
  registerHover(context, cache);
  registerInlayHints(context, cache);
  registerCodeLens(context, cache);
  registerCodeActions(context, cache);
  registerCompletion(context, cache);
  registerSummary(context, cache);
  registerInlineShapesToggle(context);
  registerStatusBar(context, cache);
  registerPreview(context, cache);
  registerMetrics(context);
  registerUltralytics(context);
  // Last: it analyzes the documents already open, which the features above listen to.
  registerDiagnostics(context, cache);
  return {
    activationMs: performance.now() - started,
    onDidAnalyze: cache.onDidAnalyze,
    whenAnalyzed: (uri, version) => cache.whenAnalyzed(uri, version),
  };
}
