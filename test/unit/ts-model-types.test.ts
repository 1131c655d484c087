// The shipped ModelSpec type (types/convlens-model.d.ts): generated from the registry and in sync
// with it, and TypeScript really checks and completes model files with it: the examples compile
// under strict mode, marked mistakes are errors, and the language service offers the kinds and
// parameters with the registry's documentation.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { kindsFor } from '../../src/core';
import { DATASET_PRESETS } from '../../src/core/datasets';
import { generateModelTypes } from '../../src/core/frontends/ts/model-types';

const ROOT = path.join(__dirname, '../../..');
const TYPES_FILE = path.join(ROOT, 'types/convlens-model.d.ts');
// ES2022 only (no DOM): model files need nothing else, and the smaller lib keeps this test fast.
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  lib: ['lib.es2022.d.ts'],
  types: [],
};

function diagnosticsOf(files: string[]): ts.Diagnostic[] {
  const program = ts.createProgram(files, OPTIONS);
  return [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
}

function describe_(d: ts.Diagnostic): string {
  const where =
    d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '?';
  return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}

describe('ModelSpec type (types/convlens-model.d.ts)', () => {
  const generated = generateModelTypes(kindsFor('pytorch'), Object.keys(DATASET_PRESETS));

  it('is the registry rendered by generateModelTypes (node scripts/generate.mjs writes it)', () => {
    const shipped = fs.readFileSync(TYPES_FILE, 'utf8');
    assert.ok(shipped === generated, 'types/convlens-model.d.ts is out of date with the layer registry; regenerate it (see its header)');
  });

  it('types every PyTorch-usable kind and none of the internal or TensorFlow-only ones', () => {
    for (const def of kindsFor('pytorch')) {
      if (def.kind === 'unresolved') continue;
      assert.match(generated, new RegExp(`^  ${def.kind}: \\w+Params;$`, 'm'), def.kind);
    }
    assert.doesNotMatch(generated, /^ {2}(unresolved|tf_maxpool2d|tf_batchnorm): /m);
  });

  it('compiles cleanly on its own and with the examples, under strict mode', () => {
    const files = [
      TYPES_FILE,
      ...fs
        .readdirSync(path.join(ROOT, 'examples'))
        .filter((f) => f.endsWith('.cnn.ts'))
        .map((f) => path.join(ROOT, 'examples', f)),
    ];
    assert.ok(files.length >= 2, 'no *.cnn.ts example');
    assert.deepEqual(diagnosticsOf(files).map(describe_), []);
  });

  it('makes TypeScript report exactly the marked mistakes', () => {
    const file = path.join(ROOT, 'test/fixtures/ts/type-errors.cnn.ts');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const expected = lines.flatMap((l, i) => (l.endsWith('// TS error') ? [i + 1] : []));
    const errors = diagnosticsOf([file]);
    const actual = [...new Set(errors.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1))].sort((a, b) => a - b);
    assert.deepEqual(actual, expected, errors.map(describe_).join('\n'));
  });

  it('gives completion of kinds and parameters, and hovers with the registry docs', () => {
    const modelFile = path.join(ROOT, 'test/fixtures/ts/__completion.cnn.ts');
    const text = [
      "import type { ModelSpec } from '../../../types/convlens-model';",
      'export default {',
      '  input: [1, 3, 32, 32],',
      '  layers: [{ conv2d: { out_channels: 8, kernel_size: 3,  } }, {  }],',
      '} satisfies ModelSpec;',
      '',
    ].join('\n');
    const files = new Map([[modelFile, text]]);
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => OPTIONS,
      getScriptFileNames: () => [modelFile],
      getScriptVersion: () => '1',
      getScriptSnapshot: (name) => {
        const content = files.get(name) ?? (fs.existsSync(name) ? fs.readFileSync(name, 'utf8') : undefined);
        return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
      },
      getCurrentDirectory: () => ROOT,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (name) => files.has(name) || fs.existsSync(name),
      readFile: (name) => files.get(name) ?? (fs.existsSync(name) ? fs.readFileSync(name, 'utf8') : undefined),
    };
    const service = ts.createLanguageService(host);
    const paramsAt = text.indexOf('kernel_size: 3, ') + 'kernel_size: 3, '.length;
    const params = service.getCompletionsAtPosition(modelFile, paramsAt, {})?.entries.map((e) => e.name) ?? [];
    for (const name of ['stride', 'padding', 'dilation', 'groups', 'bias'])
      assert.ok(params.includes(name), `no completion for ${name}: ${params.join(', ')}`);
    const kindsAt = text.indexOf('{  }') + 2;
    const kinds = service.getCompletionsAtPosition(modelFile, kindsAt, {})?.entries.map((e) => e.name) ?? [];
    for (const kind of ['conv2d', 'maxpool2d', 'linear', 'depthwise_conv2d', 'name', 'from'])
      assert.ok(kinds.includes(kind), `no completion for ${kind}`);
    const hover = service.getQuickInfoAtPosition(modelFile, text.indexOf('conv2d') + 1);
    const doc = ts.displayPartsToString(hover?.documentation);
    assert.match(doc, /2-D convolution/);
    const paramHover = service.getQuickInfoAtPosition(modelFile, text.indexOf('out_channels') + 1);
    assert.match(ts.displayPartsToString(paramHover?.documentation), /Number of filters \(output channels\)\. Required\./);
  });
});
