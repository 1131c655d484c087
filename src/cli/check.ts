// `convlens check FILE... [--json]`: shapes, params, MACs and diagnostics of model files.

import { writeErr, writeOut } from './output';
import { analyzeYaml, type AnalysisResult } from '../core';
import { MAX_MODEL_TEXT_LENGTH } from '../core/limits';
import { decodeText, FileError, readRegularFile } from './files';
import { analyzeSource, reportJson, reportTable, stringifyJson, type FileReport, type TypeScriptModule } from '../core';
import { hasErrors, isUltralyticsFile, ultralyticsJson, ultralyticsReport, ultralyticsTable, type UltralyticsReport } from './ultralytics';

export async function runCheckCommand(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const files = argv.filter((a) => a !== '--json');
  const unknownFlag = files.find((f) => f.startsWith('--'));
  if (unknownFlag) {
    writeErr(`convlens check: unknown option '${unknownFlag}'\nUsage: convlens check FILE... [--json]\n`);
    return 2;
  }
  if (files.length === 0) {
    writeErr('convlens check: no model file given\nUsage: convlens check FILE... [--json]\n');
    return 2;
  }
  // In the order given: ConvLens model files, and Ultralytics YOLO YAMLs (any other *.yaml / *.yml
  // with top-level backbone and head lists).
  const reports: Array<{ convlens: FileReport } | { ultralytics: UltralyticsReport }> = [];
  for (const file of files) {
    let text: string;
    try {
      // Up to 4 bytes a character: the text limit (model.too-large) is checked on the text.
      text = decodeText(readRegularFile(file, 'model file', MAX_MODEL_TEXT_LENGTH * 4));
    } catch (error) {
      if (!(error instanceof FileError)) throw error;
      writeErr(`convlens check: ${error.message}\n`);
      return 2;
    }
    if (isUltralyticsFile(file, text)) reports.push({ ultralytics: ultralyticsReport(file, text) });
    else reports.push({ convlens: { file, result: await analyzeFile(file, text) } });
  }
  if (json) {
    const entries = reports.map((r) =>
      'convlens' in r ? (reportJson([r.convlens]) as { files: unknown[] }).files[0] : ultralyticsJson(r.ultralytics),
    );
    writeOut(stringifyJson({ files: entries }) + '\n');
  } else {
    writeOut(reports.map((r) => ('convlens' in r ? reportTable(r.convlens) : ultralyticsTable(r.ultralytics))).join('\n\n') + '\n');
  }
  const failed = reports.some((r) =>
    'convlens' in r ? r.convlens.result.diagnostics.some((d) => d.severity === 'error') : hasErrors(r.ultralytics),
  );
  return failed ? 1 : 0;
}

/**
 * Picks the front end by file name: `.ts` / `.js` model files through the TypeScript front ends
 * (the compiler is loaded only for them), everything else as YAML.
 */
export async function analyzeFile(file: string, text: string): Promise<AnalysisResult> {
  if (!/\.(?:[cm]?[jt]s|[jt]sx)$/i.test(file)) return analyzeYaml(text);
  const result = analyzeSource(file, text, loadTypeScript);
  if (result.model || result.diagnostics.length > 0) return result;
  const message = 'No model found: a script model file builds a TensorFlow.js model (tf.sequential, tf.model), or is named *.cnn.ts';
  return {
    diagnostics: [
      { severity: 'warning', code: 'tfjs.no-model', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    ],
  };
}

/** The TypeScript compiler, required on first use only (YAML users never load it). */
function loadTypeScript(): TypeScriptModule {
  return require('typescript') as TypeScriptModule;
}
