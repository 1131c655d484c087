// Source positions for the TypeScript front ends: AST node → 0-based Range, and short quotes of
// expressions for messages. The `typescript` module is injected (the core never imports it at
// run time), so only its types are imported here.

import type * as TS from 'typescript';
import type { Position, Range } from '../../types';

export type TypeScriptModule = typeof import('typescript');

export class TsSource {
  constructor(
    readonly ts: TypeScriptModule,
    readonly file: TS.SourceFile,
  ) {}

  get text(): string {
    return this.file.text;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.file.text.length));
    const { line, character } = this.file.getLineAndCharacterOfPosition(clamped);
    return { line, character };
  }

  /** The node without its leading trivia (comments, whitespace). */
  range(node: TS.Node): Range {
    return { start: this.position(node.getStart(this.file)), end: this.position(node.getEnd()) };
  }

  offsets(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The first line of the file, for file-level diagnostics. */
  firstLine(): Range {
    const newline = this.file.text.indexOf('\n');
    return this.offsets(0, newline < 0 ? this.file.text.length : newline);
  }

  /** The node's source text on one line, shortened for a message: `makeFilters(base)`. */
  quote(node: TS.Node, limit = 60): string {
    const text = node.getText(this.file).replace(/\s+/g, ' ').trim();
    return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
  }
}
