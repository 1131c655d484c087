// The model summary (a torchinfo-like table) and the one-line totals, as plain text: Markdown for
// the summary view and the clipboard, CSV for spreadsheets. Numbers go through the core's
// formatter; CSV cells hold exact integers. No vscode import.

import { describeShape, getLayerKind, partialTotalsNote, type ModelAnalysis } from '../core';
import { formatBytes, formatFlops, formatInteger, formatMacs, formatParams } from '../core/format';
import type { Counting } from './settings';

/**
 * "61.71 K params · 416.52 K MACs → [1, 10]"; with layers of unknown shape, lower bounds:
 * "≥ 9.54 K params · ≥ 1.20 M MACs → ? (3 of 431 layers unknown)".
 */
export function totalsLine(model: ModelAnalysis, counting: Counting): string {
  const compute = counting === 'flops' ? formatFlops(model.totalMacs) : formatMacs(model.totalMacs);
  const note = partialTotalsNote(model);
  const atLeast = note ? '≥ ' : '';
  return `${atLeast}${formatParams(model.totalParams)} · ${atLeast}${compute} → ${describeShape(model, model.outputShape)}${note ? ` ${note}` : ''}`;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function summaryMarkdown(model: ModelAnalysis, title: string, counting: Counting, bytesPerElement: number): string {
  const computeHeader = counting === 'flops' ? 'FLOPs' : 'MACs';
  const compute = (macs: bigint): bigint => (counting === 'flops' ? 2n * macs : macs);
  const lines = [
    `# ${markdownCell(model.name ?? title)}`,
    '',
    `\`${title}\` · input \`${describeShape(model, model.input)}\` (${model.layout})`,
    '',
    `| # | Layer (kind) | Output shape | Param # | ${computeHeader} |`,
    '|--:|:--|:--|--:|--:|',
  ];
  for (const layer of model.layers) {
    lines.push(
      `| ${layer.index + 1} | ${markdownCell(layer.name)} (${layer.kind}) | ${layer.outputShape ? `\`${describeShape(model, layer.outputShape)}\`` : '—'} | ${formatInteger(layer.params)} | ${formatInteger(compute(layer.macs))} |`,
    );
  }
  const elementBytes = BigInt(bytesPerElement);
  const inputElements = model.input ? numel(model.input) : 0n;
  const note = partialTotalsNote(model);
  const atLeast = note ? '≥ ' : '';
  lines.push(
    '',
    `| Total${note ? ` ${note}` : ''} | |`,
    '|:--|--:|',
    `| Params | ${atLeast}${formatInteger(model.totalParams)} (${formatParams(model.totalParams)}) |`,
    `| MACs | ${atLeast}${formatInteger(model.totalMacs)} (${formatMacs(model.totalMacs)}) |`,
    `| FLOPs | ${atLeast}${formatInteger(2n * model.totalMacs)} (${formatFlops(model.totalMacs)}) |`,
    `| Output | \`${describeShape(model, model.outputShape)}\` |`,
    `| Input size | ${formatBytes(inputElements * elementBytes)} |`,
    `| Forward activations | ${formatBytes(model.totalActivationBytes)} |`,
    `| Params size | ${formatBytes(model.totalParams * elementBytes)} |`,
  );
  return lines.join('\n') + '\n';
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per layer; shapes as `1x6x28x28`; exact integer counts. */
export function summaryCsv(model: ModelAnalysis): string {
  const rows = [['index', 'name', 'kind', 'torch', 'output_shape', 'params', 'macs', 'flops']];
  for (const layer of model.layers) {
    rows.push([
      String(layer.index + 1),
      layer.name,
      layer.kind,
      getLayerKind(layer.kind)?.torch ?? '',
      layer.outputShape ? describeShape(model, layer.outputShape).slice(1, -1).split(', ').join('x') : '',
      layer.params.toString(),
      layer.macs.toString(),
      (2n * layer.macs).toString(),
    ]);
  }
  rows.push([
    '',
    'total',
    '',
    '',
    describeShape(model, model.outputShape).slice(1, -1).split(', ').join('x'),
    model.totalParams.toString(),
    model.totalMacs.toString(),
    (2n * model.totalMacs).toString(),
  ]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

function numel(shape: number[]): bigint {
  return shape.reduce((product, d) => product * BigInt(d), 1n);
}
