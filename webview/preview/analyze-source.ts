// What the worker analyzes, and what it refuses to run. YAML text is parsed here; a TypeScript
// model file arrives as the spec the extension's front end parsed, with the errors and infos of
// the extension's analysis. A model that analyzes may still not run: a layer the TypeScript front
// end could not resolve statically has no shape and no kernel. Pure: no DOM.

import { analyzeModel, analyzeYaml, describeShape, type AnalysisOptions, type AnalysisResult, type Diagnostic, type ModelAnalysis } from '../../src/core';
import { deserializeModelSpec } from '../../src/core/frontends/serialize-spec';
import type { PreviewDiagnostic } from '../../src/shared/preview-messages';
import type { ModelSource } from './model-source';

/**
 * The analysis a run starts from. For a parsed spec: the extension's diagnostics, and the model
 * rebuilt from the spec only when they hold no error (the extension already analyzed this very
 * version with the same options, so the worker's analysis adds no new error to report).
 */
export function analyzeModelSource(source: ModelSource, options: AnalysisOptions): AnalysisResult {
  if (source.kind === 'text') return analyzeYaml(source.text, options);
  const diagnostics: Diagnostic[] = source.diagnostics.map((d) => ({ ...d }));
  if (source.spec === null || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return analyzeModel(deserializeModelSpec(source.spec), diagnostics, options);
}

/** "line 12: <message> (and 2 more errors)" for the first error, or why there is no model. */
export function describeErrors(diagnostics: readonly PreviewDiagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (first === undefined) return 'the file does not describe a model';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `line ${first.range.start.line + 1}: ${first.message}${more}`;
}

function quote(diagnostic: PreviewDiagnostic | undefined): string {
  return diagnostic === undefined ? '' : `: line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`;
}

function overlaps(a: PreviewDiagnostic['range'], b: PreviewDiagnostic['range']): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/**
 * Why an analyzed model without errors still cannot run, or undefined when it can: its input or a
 * layer could not be resolved statically (the TypeScript front end's placeholders, kind
 * 'unresolved'). Names the layer and quotes the info diagnostic that says why.
 */
export function unresolvedReason(model: ModelAnalysis, diagnostics: readonly PreviewDiagnostic[]): string | undefined {
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
