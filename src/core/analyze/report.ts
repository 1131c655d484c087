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

/** JSON.stringify that prints bigint as an exact integer literal. */
export function stringifyJson(value: unknown, indent = 0): string {
  const marker = '@@convlens-bigint@@';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v), indent || undefined);
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
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
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
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
