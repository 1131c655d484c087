// The TypeScript front ends: `*.cnn.ts` spec files (./spec.ts) and TensorFlow.js layers code
// (../tfjs/), both read parse-only from the AST of an injected `typescript` module.

import type * as TS from 'typescript';
import type { Diagnostic, ParseResult } from '../../types';
import { TsSource, type TypeScriptModule } from './source';
import { parseSpecModel } from './spec';
import { parseTfjsModel } from '../tfjs/parse';

export type { TypeScriptModule } from './source';

export const CNN_TS_FILE = /\.cnn\.[cm]?[jt]s$/i;

function scriptKind(ts: TypeScriptModule, fileName: string): TS.ScriptKind {
  if (/\.[jt]sx$/i.test(fileName)) return /\.jsx$/i.test(fileName) ? ts.ScriptKind.JSX : ts.ScriptKind.TSX;
  return /\.[cm]?js$/i.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/**
 * Parses a TypeScript / JavaScript model file, parse-only (`ts.createSourceFile`): `*.cnn.ts`
 * as a ModelSpec object literal, anything else as TensorFlow.js layers code. Never executes it.
 */
export function parseTsModel(text: string, fileName: string, ts: TypeScriptModule): ParseResult {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(ts, fileName));
  const source = new TsSource(ts, file);
  const diagnostics: Diagnostic[] = syntaxDiagnostics(source);
  return CNN_TS_FILE.test(fileName) ? parseSpecModel(source, diagnostics) : parseTfjsModel(source, diagnostics);
}

/** The parser's own syntax errors (the file is still read as far as the parser recovered). */
function syntaxDiagnostics(source: TsSource): Diagnostic[] {
  const parsed = (source.file as unknown as { parseDiagnostics?: readonly TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return parsed.slice(0, 10).map((d) => ({
    severity: 'error' as const,
    code: 'ts.syntax',
    message: `TypeScript: ${source.ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`,
    range: source.offsets(d.start, d.start + Math.max(d.length, 1)),
  }));
}
