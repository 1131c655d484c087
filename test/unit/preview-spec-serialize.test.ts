// A parsed ModelSpec crossing from the extension host to the preview's worker: serialized (the
// params Map as entries), through JSON (what a webview message goes through), validated as part of
// a `model` message, rebuilt, and analyzed to the same result as the original. The validator
// rejects malformed specs with the path of the first problem.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeModel, parseYamlModel, type ModelAnalysis, type ModelSpec } from '../../src/core';
import { parseTsModel } from '../../src/core';
import { deserializeModelSpec, serializeModelSpec, type SerializedModelSpec } from '../../src/core/frontends/serialize-spec';
import { validateToWebview, type SpecModelMessage, type TextModelMessage } from '../../src/shared/preview-messages';

const ROOT = path.join(__dirname, '../../..');

function example(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');
}

function parsed(name: string): ModelSpec {
  const text = example(name);
  const result = name.endsWith('.yaml') ? parseYamlModel(text) : parseTsModel(text, name, ts);
  assert.ok(result.model, `${name} parses`);
  return result.model;
}

function specMessage(spec: SerializedModelSpec | null): SpecModelMessage {
  return {
    type: 'model',
    uri: 'file:///w/model.ts',
    fileName: 'model.ts',
    version: 1,
    source: { kind: 'spec', spec, diagnostics: [] },
    options: { batchSize: null, bytesPerElement: 4 },
    memoryBudgetMB: 1024,
  };
}

/** What the webview receives: the message through JSON, then the validator. */
function transmit(spec: ModelSpec): ModelSpec {
  const result = validateToWebview(JSON.parse(JSON.stringify(specMessage(serializeModelSpec(spec)))));
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.ok(result.message.type === 'model' && 'source' in result.message && result.message.source.spec !== null);
  return deserializeModelSpec(result.message.source.spec);
}

/** The value with every `undefined` field removed (JSON drops them; the validator leaves them out). */
function defined(value: unknown): unknown {
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, defined(v)]));
  if (Array.isArray(value)) return value.map(defined);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, defined(v)]));
  return value;
}

/** What the preview reads of an analysis. */
function summary(model: ModelAnalysis | undefined): unknown {
  assert.ok(model);
  return {
    framework: model.framework,
    layout: model.layout,
    input: model.input,
    layers: model.layers.map((l) => [l.name, l.kind, l.inputs, l.outputShape, String(l.params), l.attrs]),
    totalParams: String(model.totalParams),
  };
}

describe('preview spec: serialization round trip', () => {
  for (const name of ['mnist-tfjs.ts', 'resnet-block.cnn.ts', 'resnet-mini.cnn.yaml', 'lenet5.cnn.yaml']) {
    it(`${name}: the rebuilt spec equals the parsed one and analyzes the same`, () => {
      const spec = parsed(name);
      const rebuilt = transmit(spec);
      assert.deepStrictEqual(rebuilt, defined(spec));
      assert.ok(rebuilt.layers.every((l) => l.params instanceof Map));
      const options = { batchSize: 2, bytesPerElement: 2 };
      const original = analyzeModel(spec, [], options);
      const again = analyzeModel(rebuilt, [], options);
      assert.deepStrictEqual(summary(again.model), summary(original.model));
      assert.deepStrictEqual(again.diagnostics, original.diagnostics);
    });
  }

  it('keeps parameter order, array values and their item ranges', () => {
    const spec = parsed('mnist-tfjs.ts');
    const serialized = serializeModelSpec(spec);
    const pool = serialized.layers.find((l) => l.kind === 'tf_maxpool2d');
    assert.ok(pool);
    assert.deepStrictEqual(
      pool.params.map(([key]) => key),
      [...spec.layers.find((l) => l.name === pool.name)!.params.keys()],
    );
    const rebuilt = transmit(spec).layers.find((l) => l.name === pool.name)!;
    const kernel = [...rebuilt.params.values()].find((p) => Array.isArray(p.value));
    assert.ok(kernel, 'poolSize: [2, 2] arrives as an array');
    assert.deepStrictEqual(kernel.value, [2, 2]);
    assert.equal(kernel.itemRanges?.length, 2);
  });

  it('does not share the params Map with the original', () => {
    const spec = parsed('resnet-block.cnn.ts');
    const rebuilt = deserializeModelSpec(serializeModelSpec(spec));
    rebuilt.layers[0]!.params.delete('out_channels');
    assert.ok(spec.layers[0]!.params.has('out_channels'));
  });

  it('NHWC model input: the tfjs spec holds the engine layout, NCHW', () => {
    const rebuilt = transmit(parsed('mnist-tfjs.ts'));
    assert.equal(rebuilt.framework, 'tfjs');
    assert.deepStrictEqual(rebuilt.input?.shape, [1, 1, 28, 28]);
  });
});

describe('preview spec: model message validation', () => {
  const base = serializeModelSpec(parsed('mnist-tfjs.ts'));

  function rejects(mutate: (raw: Record<string, unknown> & { source: { spec: Record<string, unknown> & { layers: Record<string, unknown>[] } } }) => void): string {
    const raw = JSON.parse(JSON.stringify(specMessage(base)));
    mutate(raw);
    const result = validateToWebview(raw);
    assert.equal(result.ok, false, 'the message is rejected');
    return result.ok ? '' : result.error;
  }

  it('still reads a YAML model message as text, adding no field', () => {
    const message: TextModelMessage = {
      type: 'model',
      uri: 'file:///w/lenet5.cnn.yaml',
      fileName: 'lenet5.cnn.yaml',
      version: 2,
      text: 'input: [1, 1, 28, 28]\nlayers: []\n',
      options: { batchSize: 4, bytesPerElement: 4 },
      memoryBudgetMB: 64,
    };
    const result = validateToWebview(structuredClone(message));
    assert.ok(result.ok);
    assert.deepStrictEqual(result.message, message);
  });

  it('accepts a file that describes no model (spec null) with its diagnostics', () => {
    const message = specMessage(null);
    message.source.diagnostics = [
      { severity: 'error', code: 'ts.syntax', message: "TypeScript: ',' expected.", range: { start: { line: 3, character: 4 }, end: { line: 3, character: 5 } } },
      { severity: 'info', code: 'ts.unresolved', message: 'conv1: filters `f()` is a function call', range: { start: { line: 5, character: 0 }, end: { line: 5, character: 3 } }, layer: 'conv1' },
    ];
    const result = validateToWebview(JSON.parse(JSON.stringify(message)));
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.deepStrictEqual(result.message, message);
  });

  it('names the path of the first problem', () => {
    assert.equal(
      rejects((m) => (m.source.spec.framework = 'keras')),
      'message.source.spec.framework: expected "pytorch" or "tfjs", got "keras"',
    );
    assert.equal(
      rejects((m) => ((m.source.spec.layers[0]!['kindRange'] as { start: { line: number } }).start.line = -1)),
      'message.source.spec.layers[0].kindRange.start.line: expected a non-negative integer, got number -1',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['params'] = { filters: 8 })),
      'message.source.spec.layers[0].params: expected an array, got an object',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['params'] = [['filters']])),
      'message.source.spec.layers[0].params[0]: expected a pair [a, b], got an array of 1',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['nameExplicit'] = 'yes')),
      'message.source.spec.layers[0].nameExplicit: expected a boolean, got "yes"',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['from'] = { refs: [{ name: 3 }] })),
      'message.source.spec.layers[0].from.refs[0].name: expected a string, got number 3',
    );
    assert.equal(rejects((m) => (m.source = { kind: 'text', spec: {} } as never)), 'message.source.kind: expected "spec", got "text"');
    assert.equal(
      rejects((m) => ((m.source as unknown as { diagnostics: unknown[] }).diagnostics = [{ severity: 'fatal' }])),
      'message.source.diagnostics[0].severity: expected "error" or "warning" or "info", got "fatal"',
    );
  });

  it('accepts plain parameter values only, nested at most 8 deep, and keeps a __proto__ key as data', () => {
    const withValue = (value: unknown): Record<string, unknown> => {
      const message = specMessage(structuredClone(base));
      const entry = message.source.spec!.layers[0]!.params[0]![1];
      entry.value = value;
      return message as unknown as Record<string, unknown>;
    };
    const nested = validateToWebview(withValue({ top: [[1, 2], [3, 4]], name: 'x', on: true, none: null }));
    assert.ok(nested.ok, nested.ok ? '' : nested.error);
    const map = validateToWebview(withValue(new Map([['a', 1]])));
    assert.equal(map.ok ? '' : map.error, 'message.source.spec.layers[0].params[0][1].value: expected plain data (a number, string, boolean, null, array or object), got an object');
    let deep: unknown = 1;
    for (let i = 0; i < 9; i++) deep = [deep];
    const tooDeep = validateToWebview(withValue(deep));
    assert.match(tooDeep.ok ? '' : tooDeep.error, /^message\.source\.spec\.layers\[0\]\.params\[0\]\[1\]\.value(\[0\]){8}: expected plain data nested at most 8 deep, got an array of 1$/);
    const polluted = validateToWebview(JSON.parse(JSON.stringify(withValue({})).replace('"value":{}', '"value":{"__proto__":{"polluted":true}}')));
    assert.ok(polluted.ok && polluted.message.type === 'model' && 'source' in polluted.message);
    const value = polluted.message.source.spec!.layers[0]!.params[0]![1].value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepStrictEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
