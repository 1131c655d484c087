// Model files are never executed: fixtures whose execution writes a marker file and throws (top-
// level side effects, an IIFE, a getter, require('fs') inside a layer config, eval, new Function)
// are analyzed without writing anything; what cannot be resolved comes back as info diagnostics.
// A control run executes the TensorFlow.js fixture for real to show it is as dangerous as claimed.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeSource } from '../../src/core';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/ts');

function fixture(name: string, marker: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('__MARKER__').join(marker.replace(/\\/g, '/'));
}

describe('TypeScript model files are never executed', () => {
  let dir: string;
  let marker: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-unsafe-'));
    marker = path.join(dir, 'executed.txt');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('control: running the TensorFlow.js fixture for real writes the marker and throws', () => {
    const js = ts.transpileModule(fixture('unsafe-model.ts', marker), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const stub = "const tf = new Proxy(() => tf, { get: () => tf }); const req = (m) => (m === 'fs' ? require('fs') : tf);";
    const run = spawnSync(
      process.execPath,
      ['-e', `${stub}\nnew Function('require', 'exports', require('fs').readFileSync(0, 'utf8'))(req, {});`],
      { input: js, encoding: 'utf8' },
    );
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /this model file was executed/);
    assert.equal(fs.readFileSync(marker, 'utf8'), 'executed at the top level');
  });

  it('a TensorFlow.js file: nothing written, nothing thrown, info diagnostics for what is unknown', () => {
    const text = fixture('unsafe-model.ts', marker);
    const result = analyzeSource('unsafe-model.ts', text, () => ts);
    assert.equal(fs.existsSync(marker), false, 'the model file was executed');
    assert.ok(result.model, 'the model is still found');
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code),
      [],
    );
    const infos = result.diagnostics.filter((d) => d.code === 'ts.unresolved').map((d) => d.message);
    const expected = [
      "`require('fs').writeFileSync(",
      '`filters` → `(() => {',
      '`config.units` → `get units(): number {',
      '`eval(',
      '`new Function(',
    ];
    for (const fragment of expected)
      assert.ok(
        infos.some((m) => m.includes(fragment)),
        `no info naming ${fragment}:\n${infos.join('\n')}`,
      );
    assert.ok(
      result.model.layers.every((l) => l.outputShape === null),
      'shapes after the first unknown layer must be unknown',
    );
    assert.deepEqual(
      result.model.layers.map((l) => l.name),
      ['conv2d_Conv2D1', 'conv2d_Conv2D2', 'flatten_Flatten1', 'dense_Dense1', 'dense_Dense2', 'dense_Dense3'],
    );
  });

  it('a *.cnn.ts file: nothing written, nothing thrown, the known layers analyzed', () => {
    const text = fixture('unsafe.cnn.ts', marker);
    const result = analyzeSource('unsafe.cnn.ts', text, () => ts);
    assert.equal(fs.existsSync(marker), false, 'the model file was executed');
    const model = result.model!;
    assert.deepEqual(model.byName.get('conv1')?.outputShape, [1, 16, 32, 32]);
    assert.equal(model.byName.get('conv2')?.kind, 'unresolved');
    assert.equal(model.byName.get('fc')?.outputShape, null);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, d.layer]),
      [
        ['info', 'ts.unresolved', 'conv2'],
        ['info', 'ts.unresolved', 'conv3'],
      ],
    );
    const first = result.diagnostics[0]!;
    assert.match(first.message, /^conv2: out_channels `width` → `\(\(\) => \{.*` is a function call/);
    assert.equal(text.split('\n')[first.range.start.line]!.slice(first.range.start.character, first.range.end.character), 'width');
    assert.ok(first.related?.[0], 'related information points at the IIFE');
  });
});
