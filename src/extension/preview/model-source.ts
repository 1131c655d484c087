// What the extension sends the preview for a TypeScript model file (`*.cnn.ts`, TensorFlow.js
// layers code): the spec the file's front end parsed, serialized, and the diagnostics that decide
// whether it can run. It comes from the analysis the editor already holds for this version (the
// AnalysisCache loads `typescript` lazily, in the extension host only), so the preview runs
// exactly what the diagnostics, hovers and inline shapes describe. No vscode import.

import type { AnalysisResult } from '../../core';
import { serializeModelSpec } from '../../core';
import type { PreviewDiagnostic, SpecModelSource } from '../../shared/preview-messages';

export function specModelSource(result: AnalysisResult): SpecModelSource {
  // Warnings never stop a run; errors do, and infos say what could not be resolved statically.
  const diagnostics = result.diagnostics
    .filter((d) => d.severity !== 'warning')
    .map(({ severity, code, message, range, layer }): PreviewDiagnostic => (layer === undefined ? { severity, code, message, range } : { severity, code, message, range, layer }));
  return { kind: 'spec', spec: result.model ? serializeModelSpec(result.model.spec) : null, diagnostics };
}
