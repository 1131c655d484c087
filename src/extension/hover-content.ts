// Hover text for a layer and for the model input, as compact Markdown. Every number is printed
// by the core's formatter (src/core/format.ts) and every formula comes from the layer's facts,
// so hovers read exactly like the CLI and the diagnostics. No vscode import: plain strings.

import { describeShape, getLayerKind, type AnalyzedLayer, type ModelAnalysis } from '../core';
import { DATASET_PRESETS } from '../core/datasets';
import { formatBytes, formatFlops, formatInteger, formatMacs, formatParams, formatReceptiveField } from '../core/format';
import type { Counting } from './settings';

/** Escapes the Markdown that can occur inside a line of user text (layer names, docs). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** A code span (formulas, shapes) that is also safe inside a table cell. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function row(label: string, value: string): string {
  return `| ${label} | ${value} |`;
}

/** "117,600 MACs (117.60 K) · 235,200 FLOPs", the chosen convention first. */
export function computeText(macs: bigint, counting: Counting): string {
  const macsText = `${formatInteger(macs)} MACs`;
  const flopsText = `${formatInteger(2n * macs)} FLOPs`;
  if (counting === 'flops') return `${flopsText} (${formatFlops(macs)}) · ${macsText}`;
  return `${macsText} (${formatMacs(macs)}) · ${flopsText}`;
}

export function layerHoverMarkdown(layer: AnalyzedLayer, model: ModelAnalysis, counting: Counting): string {
  const def = getLayerKind(layer.kind);
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(layer.name)}** · \`${layer.kind}\`${def ? ` · ${escapeMarkdown(def.torch)}` : ''}`);
  lines.push('');
  const inputs = layer.inputShapes
    .map((shape, i) => `${escapeMarkdown(layer.inputs[i] ?? '?')} ${code(describeShape(model, shape))}`)
    .join(' + ');
  if (!layer.outputShape) {
    lines.push(`${inputs} → output unknown (see the Problems panel)`);
    return lines.join('\n');
  }
  lines.push(`${inputs} → **${code(describeShape(model, layer.outputShape))}** ${model.layout}`);
  lines.push('');
  lines.push('| | |', '|:--|:--|');
  for (const fact of layer.facts) lines.push(row(escapeMarkdown(fact.label), code(fact.value)));
  lines.push(
    row('Params', `${formatInteger(layer.params)}${layer.params >= 1000n ? ` (${escapeMarkdown(formatParams(layer.params))})` : ''}`),
  );
  if (layer.macs > 0n) lines.push(row(counting === 'flops' ? 'FLOPs' : 'MACs', computeText(layer.macs, counting)));
  if (layer.receptiveField) lines.push(row('Receptive field', formatReceptiveField(layer.receptiveField)));
  lines.push(row('Output memory', formatBytes(layer.activationBytes)));
  return lines.join('\n');
}

export function inputHoverMarkdown(model: ModelAnalysis, bytesPerElement: number): string {
  const lines: string[] = [];
  const input = model.spec.input;
  lines.push(`**input** · **${code(describeShape(model, model.input))}** ${model.layout}`);
  const dataset = input?.dataset;
  const preset = dataset !== undefined ? DATASET_PRESETS[dataset] : undefined;
  if (preset) {
    lines.push('', `Dataset preset \`${dataset}\`: ${preset.description}`);
  }
  if (model.input) {
    const elements = model.input.reduce((product, d) => product * BigInt(d), 1n);
    lines.push(
      '',
      `${formatInteger(elements)} elements, ${formatBytes(elements * BigInt(bytesPerElement))} at ${bytesPerElement} bytes each`,
    );
  }
  return lines.join('\n');
}
