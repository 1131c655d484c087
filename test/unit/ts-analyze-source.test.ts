// analyzeSource: the one entry point the CLI and the extension call. It picks the front end by
// file name, loads the TypeScript compiler only for script files that need it, and the core's
// TypeScript front ends import nothing from `typescript` (or Node) at run time.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeYaml } from '../../src/core';
import { analyzeSource, modelFileKind, parseTsModel } from '../../src/core';

const ROOT = path.join(__dirname, '../../..');

function counting() {
  let calls = 0;
  return { load: () => (calls++, ts), calls: () => calls };
}

describe('analyzeSource', () => {
  it('picks the front end by file name', () => {
    assert.equal(modelFileKind('a/lenet.cnn.yaml'), 'yaml');
    assert.equal(modelFileKind('LENET.CNN.YML'), 'yaml');
    assert.equal(modelFileKind('net.cnn.ts'), 'cnn-ts');
    assert.equal(modelFileKind('net.cnn.mts'), 'cnn-ts');
    assert.equal(modelFileKind('train.ts', "import * as tf from '@tensorflow/tfjs';"), 'tfjs');
    assert.equal(modelFileKind('train.js', 'const m = tf.sequential();'), 'tfjs');
    assert.equal(modelFileKind('util.ts', 'export const x = 1;'), undefined);
    assert.equal(modelFileKind('types.d.ts', "import * as tf from '@tensorflow/tfjs';"), undefined);
    assert.equal(modelFileKind('notes.yaml'), undefined);
  });

  it('never loads TypeScript for YAML files or scripts without TensorFlow.js code', () => {
    const yaml = fs.readFileSync(path.join(ROOT, 'examples/lenet5.cnn.yaml'), 'utf8');
    const loader = counting();
    const result = analyzeSource('lenet5.cnn.yaml', yaml, loader.load);
    assert.deepEqual(result, analyzeYaml(yaml));
    assert.deepEqual(analyzeSource('util.ts', 'export const x = 1;', loader.load), { diagnostics: [] });
    assert.equal(loader.calls(), 0);
  });

  it('loads TypeScript once per TypeScript analysis', () => {
    const loader = counting();
    const mnist = fs.readFileSync(path.join(ROOT, 'examples/mnist-tfjs.ts'), 'utf8');
    const result = analyzeSource('mnist-tfjs.ts', mnist, loader.load);
    assert.equal(loader.calls(), 1);
    assert.equal(result.model!.totalParams, 5994n);
    assert.equal(result.model!.layout, 'NHWC');
  });

  it('passes analysis options through (batch size)', () => {
    const mnist = fs.readFileSync(path.join(ROOT, 'examples/mnist-tfjs.ts'), 'utf8');
    const result = analyzeSource('mnist-tfjs.ts', mnist, () => ts, { batchSize: 32 });
    assert.equal(result.model!.input![0], 32);
  });

  it('exposes parseTsModel for callers that want the ModelSpec only', () => {
    const parsed = parseTsModel('export default { input: [1, 4], layers: [{ linear: { out_features: 2 } }] };', 'x.cnn.ts', ts);
    assert.equal(parsed.model!.layers[0]!.kind, 'linear');
  });

  it('keeps the core pure: the TypeScript front ends import typescript as types only, and no Node module', () => {
    const dir = path.join(ROOT, 'src/core/frontends');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 10, `only ${files.length} front-end files found`);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const imports = [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)].map((m) => ({
        typeOnly: Boolean(m[1]),
        module: m[2]!,
      }));
      for (const i of imports) {
        if (i.module === 'typescript') assert.ok(i.typeOnly, `${file} imports typescript at run time`);
        assert.ok(
          !i.module.startsWith('node:') && !['fs', 'path', 'os', 'child_process'].includes(i.module),
          `${file} imports ${i.module}`,
        );
      }
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\brequire\(/, `${file} calls require`);
    }
  });
});
