// The Problems panel: every core diagnostic of every open model document, replaced on each
// analysis and removed when the document closes.

import * as vscode from 'vscode';
import type { AnalysisCache } from './analysis-cache';
import { toDiagnostic } from './convert';
import { isModelDocument } from './documents';
import { affectsAnalysis } from './settings';

export function registerDiagnostics(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const collection = vscode.languages.createDiagnosticCollection('convlens');
  context.subscriptions.push(
    collection,
    cache.onDidAnalyze((event) => {
      collection.set(
        event.uri,
        event.result.diagnostics.map((d) => toDiagnostic(event.uri, d)),
      );
    }),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isModelDocument(document)) cache.analyzeNow(document);
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (isModelDocument(event.document) && event.contentChanges.length > 0) cache.schedule(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (!isModelDocument(document)) return;
      cache.forget(document.uri);
      collection.delete(document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsAnalysis(event)) return;
      for (const document of vscode.workspace.textDocuments) if (isModelDocument(document)) cache.analyzeNow(document);
    }),
  );
  // Documents already open when the extension activates.
  for (const document of vscode.workspace.textDocuments) if (isModelDocument(document)) cache.analyzeNow(document);
}
