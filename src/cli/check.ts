// `convlens check FILE... [--json]`: shapes, params, MACs and diagnostics of model files.

import { readFileSync } from 'node:fs';
import { analyzeYaml, type AnalysisResult } from '../core';
import { analyzeSource, reportJson, reportTable, stringifyJson, type FileReport, type TypeScriptModule } from '../core';

export async function runCheckCommand(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const files = argv.filter((a) => a !== '--json');
  const unknownFlag = files.find((f) => f.startsWith('--'));
  if (unknownFlag) {
    process.stderr.write(`convlens check: unknown option '${unknownFlag}'\nUsage: convlens check FILE... [--json]\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write('convlens check: no model file given\nUsage: convlens check FILE... [--json]\n');
    return 2;
  }
  const reports: FileReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      process.stderr.write(`convlens check: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 2;
    }
    reports.push({ file, result: await analyzeFile(file, text) });
  }
  if (json) process.stdout.write(stringifyJson(reportJson(reports)) + '\n');
  else process.stdout.write(reports.map(reportTable).join('\n\n') + '\n');
  return reports.some((r) => r.result.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/**
 * Picks the front end by file name: `.ts` / `.js` model files through the TypeScript front ends
 * (the compiler is loaded only for them), everything else as YAML.
 */
async function analyzeFile(file: string, text: string): Promise<AnalysisResult> {
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
