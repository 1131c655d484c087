// `convlens check` on an Ultralytics YOLO model YAML (yolov8.yaml, yolo11n.yaml, a fork's file):
// the rows as Ultralytics prints them while building the model (from, n, params, module,
// arguments), its summary under Ultralytics' conventions beside ConvLens's own MACs, and the
// diagnostics in the compiler format the rest of `check` uses.

import { buildUltralyticsModel, formatInteger, isUltralyticsYaml, type UltralyticsModel } from '../core';

/** Whether `check` reads this file as an Ultralytics model: a .yaml/.yml that is not *.cnn.yaml. */
export function isUltralyticsFile(file: string, text: string): boolean {
  return /\.ya?ml$/i.test(file) && !/\.cnn\.ya?ml$/i.test(file) && isUltralyticsYaml(text);
}

export interface UltralyticsReport {
  file: string;
  model: UltralyticsModel;
}

export function ultralyticsReport(file: string, text: string): UltralyticsReport {
  return { file, model: buildUltralyticsModel(text, file) };
}

export function hasErrors(report: UltralyticsReport): boolean {
  return report.model.diagnostics.some((d) => d.severity === 'error');
}

const argText = (value: unknown): string => JSON.stringify(value).replace(/,/g, ', ');

/** The table, the two summaries and the diagnostics. */
export function ultralyticsTable({ file, model }: UltralyticsReport): string {
  const lines: string[] = [];
  const header = ['', 'from', 'n', 'params', 'module', 'arguments', 'output'];
  const rows = model.rows.map((r) => [
    String(r.index),
    argText(r.from),
    String(r.scaledRepeats),
    formatInteger(r.parameters),
    r.module,
    argText(r.args),
    r.outputShapes.map((s) => `[${s.join(', ')}]`).join(' '),
  ]);
  if (rows.length > 0) {
    const widths = header.map((h, i) => rows.reduce((w, row) => Math.max(w, row[i]!.length), h.length));
    const right = new Set([0, 1, 2, 3]);
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd();
    lines.push(line(header), ...rows.map(line));
  }
  const scale = model.scale === undefined ? 'no scale' : `scale ${model.scale} of ${model.scales.join('/')}`;
  const m = model.multiples;
  const maxChannels = Number.isFinite(m.maxChannels) ? String(m.maxChannels) : 'none';
  lines.push(
    '',
    `${file}: Ultralytics model, ${scale} (depth ${m.depth}, width ${m.width}, max_channels ${maxChannels}), nc ${model.nc}, input [${model.inputShape.join(', ')}]`,
  );
  const s = model.summary;
  if (s) {
    lines.push(
      `Ultralytics' summary: ${s.layers} layers, ${formatInteger(s.parameters)} parameters, ${formatInteger(s.gradients)} gradients, ${s.gflops.toFixed(1)} GFLOPs` +
        ` (THOP at ${s.flopsStride}×${s.flopsStride}, scaled to the input)`,
      `ConvLens's convention: ${formatInteger(s.macs)} MACs (conv2d and linear multiply-adds at the input size, without bias)`,
    );
  }
  for (const d of model.diagnostics) {
    lines.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ultralytics: ${d.message}`);
  }
  const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = model.diagnostics.filter((d) => d.severity === 'warning').length;
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n');
}

/** The entry of `check --json`'s `files` list for an Ultralytics model. */
export function ultralyticsJson({ file, model }: UltralyticsReport): object {
  return {
    file,
    ultralytics: {
      scale: model.scale ?? null,
      scales: model.scales,
      multiples: {
        depth: model.multiples.depth,
        width: model.multiples.width,
        max_channels: Number.isFinite(model.multiples.maxChannels) ? model.multiples.maxChannels : null,
      },
      nc: model.nc,
      input: model.inputShape,
      summary: model.summary
        ? {
            layers: model.summary.layers,
            parameters: model.summary.parameters,
            gradients: model.summary.gradients,
            gflops: Number(model.summary.gflops.toFixed(1)),
            macs: model.summary.macs,
          }
        : null,
      rows: model.rows.map((r) => ({
        index: r.index,
        from: r.from,
        repeats: r.scaledRepeats,
        module: r.module,
        args: r.args,
        params: r.parameters,
        output_shapes: r.outputShapes,
      })),
    },
    diagnostics: model.diagnostics.map((d) => ({
      severity: d.severity,
      code: 'ultralytics',
      message: d.message,
      range: { start: d.range.start, end: d.range.end },
    })),
  };
}
