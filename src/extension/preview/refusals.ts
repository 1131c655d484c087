// Why the preview refuses a model, decided in the extension host from the analysis the editor
// holds for this version (the diagnostics quoted are the ones the editor shows): the model has
// errors, or a layer or its input could not be resolved statically (the TypeScript front end's
// placeholders, kind 'unresolved', have no shape and no kernel), or its input is not an image.
// A model the preview can run travels to the worker as its analysis (previewModel). No vscode
// import: unit tests call it.

import { describeShape, type AnalysisResult, type Diagnostic, type ModelAnalysis } from '../../core';
import type { PreviewModel } from '../../shared/preview-messages';
import { serializeAnalysis } from '../../shared/model-transfer';

/** The analysis of a model file as the preview receives it: runnable, or refused with the reason it shows. */
export function previewModel(result: AnalysisResult): PreviewModel {
  const model = result.model;
  const framework = model?.framework ?? null;
  if (model === undefined || result.diagnostics.some((d) => d.severity === 'error')) {
    return { kind: 'refused', framework, reason: `the model has errors; fix them to preview it: ${describeErrors(result.diagnostics)}` };
  }
  const reason = unresolvedReason(model, result.diagnostics) ?? imageInputProblem(model);
  if (reason !== undefined) return { kind: 'refused', framework, reason };
  return { kind: 'runnable', analysis: serializeAnalysis(model) };
}

/** "line 12: <message> (and 2 more errors)" for the first error, or why there is no model. */
export function describeErrors(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first === undefined) return 'the file does not describe a model';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `line ${first.range.start.line + 1}: ${first.message}${more}`;
}

function quote(diagnostic: Diagnostic | undefined): string {
  return diagnostic === undefined ? '' : `: line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`;
}

function overlaps(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) =>
    p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/**
 * Why an analyzed model without errors still cannot run, or undefined when it can: its input or a
 * layer could not be resolved statically (the TypeScript front end's placeholders, kind
 * 'unresolved'). Names the layer and quotes the info diagnostic that says why.
 */
export function unresolvedReason(model: ModelAnalysis, diagnostics: readonly Diagnostic[]): string | undefined {
  const infos = diagnostics.filter((d) => d.severity === 'info');
  const layer = model.layers.find((l) => l.kind === 'unresolved');
  if (layer !== undefined) {
    // A shared layer's second use is `<name>#2`; its diagnostic names `<name>`.
    const base = layer.name.replace(/#\d+$/, '');
    const why = infos.find((d) => d.layer === layer.name || d.layer === base) ?? infos.find((d) => overlaps(d.range, layer.spec.range));
    return `the preview cannot run ${layer.name}, which ConvLens could not resolve statically${quote(why)}`;
  }
  if (model.input === null) {
    const why = infos.find((d) => d.layer === undefined);
    if (why !== undefined) return `the preview needs the model input's shape, which ConvLens could not resolve statically${quote(why)}`;
  }
  return undefined;
}

/** The preview's requirement on the input, in the model's own layout. */
export function imageInputProblem(model: ModelAnalysis): string | undefined {
  const input = model.input;
  if (input !== null && input.length === 4) return undefined;
  const wanted = model.layout === 'NHWC' ? '[N, H, W, C]' : '[N, C, H, W]';
  return `the preview needs an image input ${wanted}; this model's input is ${input === null ? 'missing' : describeShape(model, input)}`;
}
