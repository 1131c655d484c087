// The adapter between the core's plain data and the VS Code API: the only place core ranges,
// severities and edits become vscode objects.

import * as vscode from 'vscode';
import type { Diagnostic, Position, Range, Severity, TextEdit } from '../core';

export function toPosition(p: Position): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(toPosition(r.start), toPosition(r.end));
}

/** Whether a core range contains a position (ends included, as hovers expect). */
export function rangeContains(r: Range | undefined, position: vscode.Position): boolean {
  return r !== undefined && toRange(r).contains(position);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

export const DIAGNOSTIC_SOURCE = 'ConvLens';

export function toDiagnostic(uri: vscode.Uri, d: Diagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.code;
  if (d.related?.length) {
    diagnostic.relatedInformation = d.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message),
    );
  }
  return diagnostic;
}

/** Whether a vscode diagnostic is the editor's copy of a core diagnostic. */
export function isSameDiagnostic(vs: vscode.Diagnostic, d: Diagnostic): boolean {
  const code = typeof vs.code === 'object' ? vs.code.value : vs.code;
  return vs.source === DIAGNOSTIC_SOURCE && code === d.code && vs.message === d.message && vs.range.isEqual(toRange(d.range));
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(uri, toRange(e.range), e.newText);
  return edit;
}
