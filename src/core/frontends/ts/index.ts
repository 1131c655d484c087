// The TypeScript front ends: `*.cnn.ts` spec files (./spec.ts) and TensorFlow.js layers code
// (../tfjs/), both read parse-only from the AST of an injected `typescript` module.

import type * as TS from 'typescript';
import type { Diagnostic, ParseResult, Range } from '../../types';
import { MAX_LAYERS, modelTextTooLong } from '../../limits';
import { VALUE_LIMITS } from './values';
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
  const tooLong = modelTextTooLong(text.length);
  if (tooLong)
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'model.too-large',
          message: tooLong.message,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  // The TypeScript parser is recursive: a few thousand nested brackets overflow its stack.
  const tooDeep = bracketDepthOver(text, VALUE_LIMITS.depth);
  if (tooDeep !== undefined) {
    const range = lineRange(text, tooDeep);
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'ts.too-deep',
          message: `Brackets nest more than ${VALUE_LIMITS.depth} levels deep here; ConvLens reads model files nested up to ${VALUE_LIMITS.depth} levels`,
          range,
        },
      ],
    };
  }
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(ts, fileName));
  const source = new TsSource(ts, file);
  const diagnostics: Diagnostic[] = syntaxDiagnostics(source);
  const parsed = CNN_TS_FILE.test(fileName) ? parseSpecModel(source, diagnostics) : parseTfjsModel(source, diagnostics);
  if (parsed.model && parsed.model.layers.length > MAX_LAYERS) {
    const message = `The model has ${parsed.model.layers.length} layers; ConvLens analyzes models of up to ${MAX_LAYERS} layers`;
    return {
      diagnostics: [...parsed.diagnostics, { severity: 'error', code: 'model.too-many-layers', message, range: source.firstLine() }],
    };
  }
  return parsed;
}

/**
 * The offset where ( [ { or `${` first open more than `limit` levels deep, ignoring strings and
 * comments (an approximation of the grammar, good enough for a limit far above real files).
 */
export function bracketDepthOver(text: string, limit: number): number | undefined {
  let depth = 0;
  // Template literals: the brace depth at which each open `${` returns to the template text.
  const templates: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '`' || (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth)) {
      if (c === '}') {
        templates.pop();
        depth--;
      }
      // Template text up to the closing backtick or the next `${`.
      for (i++; i < text.length && text[i] !== '`'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') {
          depth++;
          if (depth > limit) return i;
          templates.push(depth);
          i++;
          break;
        }
      }
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > limit) return i;
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** The line containing an offset, as a range (0-based). */
function lineRange(text: string, offset: number): Range {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { start: { line, character: offset - lineStart }, end: { line, character: offset - lineStart + 1 } };
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
