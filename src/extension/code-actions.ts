// Quick fixes: the core attaches fixes to its diagnostics (exact padding, the right in_channels,
// a missing flatten, a misspelt key or kind...); this turns each into a CodeAction on the
// matching Problems entry.

import * as vscode from 'vscode';
import type { AnalysisCache } from './analysis-cache';
import { isSameDiagnostic, toRange, toWorkspaceEdit } from './convert';
import { MODEL_SELECTOR } from './documents';

export function registerCodeActions(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      MODEL_SELECTOR,
      {
        async provideCodeActions(document, range, actionContext) {
          if (actionContext.only && !vscode.CodeActionKind.QuickFix.intersects(actionContext.only)) return [];
          const { result } = await cache.current(document);
          const actions: vscode.CodeAction[] = [];
          for (const diagnostic of result.diagnostics) {
            if (!diagnostic.fixes?.length || !toRange(diagnostic.range).intersection(range)) continue;
            // The editor's copy of this diagnostic, so the fix is shown on (and clears) it.
            const shown = actionContext.diagnostics.find((d) => isSameDiagnostic(d, diagnostic));
            for (const fix of diagnostic.fixes) {
              const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
              action.edit = toWorkspaceEdit(document.uri, fix.edits);
              action.isPreferred = fix.preferred === true;
              if (shown) action.diagnostics = [shown];
              actions.push(action);
            }
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}
