// Renders an analysis as the contract's JSON (§3) and as the CLI's human-readable table.
// bigint counts are written as exact JSON integers, however large.

import { describeShape, partialTotalsNote, toDisplayShape, totalsStatus } from './analyzer';
import type { AnalysisResult } from './analysis-types';
import { formatInteger, formatMacs, formatParams, formatSi } from '../format';
import type { Diagnostic } from '../types';

export interface FileReport {
  file: string;
  result: AnalysisResult;
}

/**
 * JSON text with bigint written as an exact integer literal, however large. A serializer of its
 * own: no string stands in for a bigint, so no user string (a layer name, a path) can be mistaken
 * for one. Control characters, DEL, C1 controls and bidirectional overrides in strings are written
 * as \u escapes, so the JSON is safe to print on a terminal too.
 */
export function stringifyJson(value: unknown, indent = 0): string {
  const parts: string[] = [];
  const write = (v: unknown, depth: number, key: string): void => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      v = (v as { toJSON(key: string): unknown }).toJSON(key);
    if (typeof v === 'bigint') {
      parts.push(v.toString());
      return;
    }
    if (typeof v === 'string') {
      parts.push(jsonString(v));
      return;
    }
    if (typeof v === 'number') {
      parts.push(Number.isFinite(v) ? String(v) : 'null');
      return;
    }
    if (typeof v === 'boolean' || v === null) {
      parts.push(String(v));
      return;
    }
    if (typeof v !== 'object') {
      parts.push('null');
      return;
    }
    const open = indent > 0 ? `\n${' '.repeat(indent * (depth + 1))}` : '';
    const close = indent > 0 ? `\n${' '.repeat(indent * depth)}` : '';
    const colon = indent > 0 ? ': ' : ':';
    if (Array.isArray(v)) {
      if (v.length === 0) return void parts.push('[]');
      parts.push('[');
      v.forEach((item, i) => {
        if (i > 0) parts.push(',');
        parts.push(open);
        write(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth + 1, String(i));
      });
      parts.push(close, ']');
      return;
    }
    const entries = Object.entries(v as Record<string, unknown>).filter(
      ([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol',
    );
    if (entries.length === 0) return void parts.push('{}');
    parts.push('{');
    entries.forEach(([k, x], i) => {
      if (i > 0) parts.push(',');
      parts.push(open, jsonString(k), colon);
      write(x, depth + 1, k);
    });
    parts.push(close, '}');
  };
  write(value, 0, '');
  return parts.join('');
}

/** Characters a terminal may act on: C0 controls but tab and newline, DEL, C1 controls, bidi overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function jsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Text for a terminal: escape sequences and other control characters in names and messages (a
 * model file's own text) are shown as `\x1b`, `\r`, `\u202e`…, so a file cannot retitle the
 * terminal, clear it or overwrite a line with a fake "0 errors". Newlines and tabs stay.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function reportJson(reports: FileReport[]): unknown {
  return {
    files: reports.map(({ file, result }) => {
      const m = result.model;
      return {
        file,
        ...(m
          ? {
              model: {
                name: m.name ?? null,
                input: toDisplayShape(m, m.input),
                output_shape: toDisplayShape(m, m.outputShape),
                total_params: m.totalParams,
                total_macs: m.totalMacs,
                totals_complete: totalsStatus(m).complete,
                layers: m.layers.map((l) => ({
                  name: l.name,
                  kind: l.kind,
                  output_shape: toDisplayShape(m, l.outputShape),
                  params: l.params,
                  macs: l.macs,
                })),
              },
            }
          : {}),
        diagnostics: result.diagnostics.map((d) => ({
          severity: d.severity,
          code: d.code,
          message: d.message,
          ...(d.layer !== undefined ? { layer: d.layer } : {}),
          range: d.range,
        })),
      };
    }),
  };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** `file:line:col: severity code: message`, 1-based like compilers print. */
export function formatDiagnosticLine(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

export function reportTable({ file, result }: FileReport): string {
  const lines: string[] = [];
  const m = result.model;
  if (m) {
    const rows = m.layers.map((l) => [l.name, l.kind, describeShape(m, l.outputShape), formatInteger(l.params), formatInteger(l.macs)]);
    const header = ['Layer', 'Kind', `Output shape (${m.layout})`, 'Params', 'MACs'];
    // A loop, not Math.max(...rows): spreading 125,000+ arguments overflows the stack.
    const widths = header.map((h, i) => rows.reduce((widest, r) => Math.max(widest, r[i]!.length), h.length));
    const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 3)).join('  ');
    const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
    lines.push(`${file}${m.name ? ` (${m.name})` : ''}`, rule, line(header), rule);
    lines.push(`${pad('input', widths[0]!)}  ${pad('', widths[1]!)}  ${describeShape(m, m.input)}`);
    for (const row of rows) lines.push(line(row));
    lines.push(rule);
    // Partial totals (some layer unknown) are lower bounds: "≥ 9,536 (9.54 K) (3 of 431 layers unknown)".
    const note = partialTotalsNote(m);
    const atLeast = note ? '≥ ' : '';
    const suffix = note ? ` ${note}` : '';
    lines.push(`Total params: ${atLeast}${formatInteger(m.totalParams)} (${formatParams(m.totalParams)})${suffix}`);
    lines.push(
      `Total MACs:   ${atLeast}${formatInteger(m.totalMacs)} (${formatMacs(m.totalMacs)}, ${formatSi(2n * m.totalMacs, 'FLOPs')})${suffix}`,
    );
    lines.push(`Output:       ${describeShape(m, m.outputShape)}`);
  }
  for (const d of result.diagnostics) lines.push(formatDiagnosticLine(file, d));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n');
}
