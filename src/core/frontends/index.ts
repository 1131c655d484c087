// The entry point that picks a front end by file name: YAML (./yaml.ts), the `*.cnn.ts` spec
// (./ts/) or TensorFlow.js layers code (./tfjs/). The `typescript` module is injected (`loadTs`),
// so the core stays free of Node-only imports and a YAML user never loads the compiler: it is
// loaded only for `.ts` / `.js` model files.

import { analyzeModel } from '../analyze/analyzer';
import type { AnalysisOptions, AnalysisResult } from '../analyze/analysis-types';
import { looksLikeTfjs } from './tfjs/parse';
import { CNN_TS_FILE, parseTsModel } from './ts/index';
import type { TypeScriptModule } from './ts/source';
import { parseYamlModel } from './yaml';

export type { TypeScriptModule } from './ts/source';
export { looksLikeTfjs } from './tfjs/parse';
export { parseTsModel } from './ts/index';
export { parseYamlModel } from './yaml';

/** Which front end reads a file. */
export type ModelFileKind = 'yaml' | 'cnn-ts' | 'tfjs';

const YAML_FILE = /\.cnn\.ya?ml$/i;
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/**
 * The front end for a file: `*.cnn.yaml|yml` → 'yaml'; `*.cnn.ts` (also .js/.mts/.cts/.mjs/.cjs)
 * → 'cnn-ts'; any other script containing TensorFlow.js layers code → 'tfjs'; otherwise
 * undefined (not a model file). Reads `text` only for plain scripts, with a cheap regex.
 */
export function modelFileKind(fileName: string, text?: string): ModelFileKind | undefined {
  if (YAML_FILE.test(fileName)) return 'yaml';
  if (CNN_TS_FILE.test(fileName)) return 'cnn-ts';
  if (SCRIPT_FILE.test(fileName) && !/\.d\.[cm]?ts$/i.test(fileName) && text !== undefined && looksLikeTfjs(text)) return 'tfjs';
  return undefined;
}

/**
 * Analyzes any model file by name: YAML without touching `loadTs`; `.ts`/`.js` files through the
 * TypeScript front ends, calling `loadTs()` (e.g. `() => require('typescript')`) only then. A
 * script without TensorFlow.js code gives no model and no diagnostics. Never throws on bad input.
 */
export function analyzeSource(fileName: string, text: string, loadTs: () => TypeScriptModule, options?: AnalysisOptions): AnalysisResult {
  const kind = modelFileKind(fileName, text);
  if (kind === undefined) return { diagnostics: [] };
  const parsed = kind === 'yaml' ? parseYamlModel(text) : parseTsModel(text, fileName, loadTs());
  if (!parsed.model) return { diagnostics: parsed.diagnostics };
  return analyzeModel(parsed.model, parsed.diagnostics, options);
}
