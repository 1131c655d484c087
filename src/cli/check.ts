// `convlens check FILE... [--json]`: shapes, params, MACs and diagnostics of model files.

import { readFileSync } from 'node:fs';
import { analyzeYaml } from '../core';
import { reportJson, reportTable, stringifyJson, type FileReport } from '../core/report';

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

/** Picks the front end by file name. TypeScript model files are handled once that front end lands. */
async function analyzeFile(_file: string, text: string) {
  return analyzeYaml(text);
}
