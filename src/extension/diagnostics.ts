// The Problems panel: every core diagnostic of every open model document, replaced on each
// analysis. Removed when the document closes or its last editor tab closes (VS Code may keep a
// closed document alive for minutes, and stale problems for a file nobody looks at mislead).

import * as vscode from 'vscode';
import type { AnalysisCache } from './analysis-cache';
import { toDiagnostic } from './convert';
import { isModelDocument } from './documents';
import { affectsAnalysis } from './settings';

/** URIs shown in editor tabs (text and diff editors). */
function uris(tabs: readonly vscode.Tab[]): vscode.Uri[] {
  return tabs.flatMap((tab) => {
    const input = tab.input;
    if (input instanceof vscode.TabInputText) return [input.uri];
    if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
    return [];
  });
}

export function registerDiagnostics(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const collection = vscode.languages.createDiagnosticCollection('convlens');
  const publish = (uri: vscode.Uri, diagnostics: Parameters<typeof toDiagnostic>[1][]): void => {
    collection.set(
      uri,
      diagnostics.map((d) => toDiagnostic(uri, d)),
    );
  };
  const forget = (uri: vscode.Uri): void => {
    cache.forget(uri);
    collection.delete(uri);
  };
  const analyzeOpen = (): void => {
    for (const document of vscode.workspace.textDocuments) if (isModelDocument(document)) cache.analyzeNow(document);
  };
  context.subscriptions.push(
    collection,
    cache.onDidAnalyze((event) => {
      // A script a provider looked at that is not a model: nothing to show, nothing to track.
      if (!event.result.model && event.result.diagnostics.length === 0 && !collection.has(event.uri)) return;
      publish(event.uri, event.result.diagnostics);
    }),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isModelDocument(document)) cache.analyzeNow(document);
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length === 0) return;
      // Also a script that just stopped being TensorFlow.js code: its problems must go.
      if (isModelDocument(event.document) || collection.has(event.document.uri)) cache.schedule(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (isModelDocument(document)) forget(document.uri);
    }),
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      const shown = new Set(uris(vscode.window.tabGroups.all.flatMap((group) => group.tabs)).map((uri) => uri.toString()));
      for (const uri of uris(event.closed)) {
        if (!shown.has(uri.toString()) && collection.has(uri)) forget(uri);
      }
      // A document still alive in the host, shown again: publish its problems again.
      for (const uri of uris(event.opened)) {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (document && isModelDocument(document) && !collection.has(uri)) cache.analyzeNow(document);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsAnalysis(event)) analyzeOpen();
    }),
  );
  // Documents already open when the extension activates.
  analyzeOpen();
}
