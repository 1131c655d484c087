// A model's analysis crossing from the extension host to the preview's worker: serialized (bigints
// as decimal digits, the spec's params Maps as entries), through JSON (what a webview message goes
// through), validated as part of a `model` message, and rebuilt equal to the analyzer's own result,
// for every front end; the engine runs the rebuilt one to the same outputs. The validator rejects
// malformed analyses with the path of the first problem.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeModel, parseYamlModel, type ModelAnalysis, type ModelSpec } from '../../src/core';
import { runModel } from '../../src/core';
import { parseTsModel } from '../../src/core';
import { deserializeModelSpec, serializeModelSpec } from '../../src/core/frontends/serialize-spec';
import { deserializeAnalysis, serializeAnalysis, type SerializedAnalysis } from '../../src/shared/model-transfer';
import { validateToWebview, type ModelMessage } from '../../src/shared/preview-messages';

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

function analyzed(name: string, options = {}): ModelAnalysis {
  const result = analyzeModel(parsed(name), [], options);
  assert.ok(result.model);
  return result.model;
}

function modelMessage(analysis: SerializedAnalysis): ModelMessage {
  return {
    type: 'model',
    uri: 'file:///w/model.ts',
    fileName: 'model.ts',
    version: 1,
    model: { kind: 'runnable', analysis },
    memoryBudgetMB: 1024,
  };
}

/** What the worker rebuilds: the message through JSON, then the validator, then deserialized. */
function transmit(model: ModelAnalysis): ModelAnalysis {
  const result = validateToWebview(JSON.parse(JSON.stringify(modelMessage(serializeAnalysis(model)))));
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.ok(result.message.type === 'model' && result.message.model.kind === 'runnable');
  return deserializeAnalysis(result.message.model.analysis);
}

/** The value with every `undefined` field removed (JSON drops them; the validator leaves them out). */
function defined(value: unknown): unknown {
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, defined(v)]));
  if (Array.isArray(value)) return value.map(defined);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, defined(v)]),
    );
  return value;
}

describe('preview model: the analysis travels once', () => {
  for (const name of ['mnist-tfjs.ts', 'resnet-block.cnn.ts', 'resnet-mini.cnn.yaml', 'lenet5.cnn.yaml']) {
    it(`${name}: the rebuilt analysis equals the analyzer's`, () => {
      const original = analyzed(name, { batchSize: 2, bytesPerElement: 2 });
      const rebuilt = transmit(original);
      assert.deepStrictEqual(rebuilt, defined(original));
      assert.ok(
        rebuilt.layers.every((l) => l.spec === rebuilt.spec.layers[l.index]),
        'each layer points at its spec in the model',
      );
      assert.ok(rebuilt.layers.every((l) => rebuilt.byName.get(l.name) === l));
    });
  }

  it('the engine runs the rebuilt analysis to the same outputs', () => {
    const original = analyzed('lenet5.cnn.yaml');
    const input = Float32Array.from({ length: 28 * 28 }, (_, i) => Math.sin(i));
    const expected = runModel(original, input, { kind: 'random', seed: 3 }, { backend: 'ts' });
    const actual = runModel(transmit(original), input, { kind: 'random', seed: 3 }, { backend: 'ts' });
    assert.deepStrictEqual([...actual.outputs.keys()], [...expected.outputs.keys()]);
    for (const [name, t] of expected.outputs) assert.deepStrictEqual(actual.outputs.get(name), t, name);
  });

  it('counts past 2^53 survive as bigints', () => {
    const original = analyzed('resnet-mini.cnn.yaml', { batchSize: 2 ** 20 });
    const big = { ...original, totalMacs: 2n ** 60n + 1n };
    assert.equal(transmit(big).totalMacs, 2n ** 60n + 1n);
  });

  it('keeps parameter order, array values and their item ranges', () => {
    const spec = parsed('mnist-tfjs.ts');
    const serialized = serializeModelSpec(spec);
    const pool = serialized.layers.find((l) => l.kind === 'tf_maxpool2d');
    assert.ok(pool);
    assert.deepStrictEqual(
      pool.params.map(([key]) => key),
      [...spec.layers.find((l) => l.name === pool.name)!.params.keys()],
    );
    const rebuilt = transmit(analyzed('mnist-tfjs.ts')).spec.layers.find((l) => l.name === pool.name)!;
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

  it('NHWC model input: the tfjs analysis holds the engine layout, NCHW', () => {
    const rebuilt = transmit(analyzed('mnist-tfjs.ts'));
    assert.equal(rebuilt.framework, 'tfjs');
    assert.equal(rebuilt.layout, 'NHWC');
    assert.deepStrictEqual(rebuilt.input, [1, 1, 28, 28]);
  });
});

describe('preview spec: model message validation', () => {
  const base = serializeAnalysis(analyzed('mnist-tfjs.ts'));

  type Analysis = Record<string, unknown> & { layers: Record<string, unknown>[] };
  /** The mutable parts of a model message: the analysis, and its spec. */
  type Raw = { analysis: Analysis; source: { spec: Analysis } };

  function rejects(mutate: (raw: Raw) => void): string {
    const message = JSON.parse(JSON.stringify(modelMessage(base))) as { model: { analysis: Analysis } };
    const analysis = message.model.analysis;
    mutate({ analysis, source: { spec: analysis['spec'] as Analysis } });
    const result = validateToWebview(message);
    assert.equal(result.ok, false, 'the message is rejected');
    return result.ok ? '' : result.error;
  }

  it('names the path of the first problem', () => {
    assert.equal(
      rejects((m) => (m.source.spec.framework = 'keras')),
      'message.model.analysis.spec.framework: expected "pytorch" or "tfjs", got "keras"',
    );
    assert.equal(
      rejects((m) => ((m.source.spec.layers[0]!['kindRange'] as { start: { line: number } }).start.line = -1)),
      'message.model.analysis.spec.layers[0].kindRange.start.line: expected a non-negative integer, got number -1',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['params'] = { filters: 8 })),
      'message.model.analysis.spec.layers[0].params: expected an array, got an object',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['params'] = [['filters']])),
      'message.model.analysis.spec.layers[0].params[0]: expected a pair [a, b], got an array of 1',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['nameExplicit'] = 'yes')),
      'message.model.analysis.spec.layers[0].nameExplicit: expected a boolean, got "yes"',
    );
    assert.equal(
      rejects((m) => (m.source.spec.layers[0]!['from'] = { refs: [{ name: 3 }] })),
      'message.model.analysis.spec.layers[0].from.refs[0].name: expected a string, got number 3',
    );
    assert.equal(
      rejects((m) => (m.analysis.layers[0]!['params'] = 12)),
      'message.model.analysis.layers[0].params: expected an integer as decimal digits, got number 12',
    );
    assert.equal(
      rejects((m) => (m.analysis.layers[0]!['specIndex'] = 99)),
      `message.model.analysis.layers[0].specIndex: expected an index below ${base.spec.layers.length}, got number 99`,
    );
    const conv = base.layers.findIndex((l) => l.geometry !== undefined);
    assert.ok(conv >= 0, 'the model has a layer with window geometry');
    assert.equal(
      rejects((m) => ((m.analysis.layers[conv]!['geometry'] as { h: { ceilMode: unknown } }).h.ceilMode = 'no')),
      `message.model.analysis.layers[${conv}].geometry.h.ceilMode: expected a boolean, got "no"`,
    );
  });

  it('accepts plain parameter values only, nested at most 8 deep, and keeps a __proto__ key as data', () => {
    const withValue = (value: unknown): Record<string, unknown> => {
      const message = modelMessage(structuredClone(base));
      assert.ok(message.model.kind === 'runnable');
      const entry = message.model.analysis.spec.layers[0]!.params[0]![1];
      entry.value = value;
      return message as unknown as Record<string, unknown>;
    };
    const nested = validateToWebview(
      withValue({
        top: [
          [1, 2],
          [3, 4],
        ],
        name: 'x',
        on: true,
        none: null,
      }),
    );
    assert.ok(nested.ok, nested.ok ? '' : nested.error);
    const map = validateToWebview(withValue(new Map([['a', 1]])));
    assert.equal(
      map.ok ? '' : map.error,
      'message.model.analysis.spec.layers[0].params[0][1].value: expected plain data (a number, string, boolean, null, array or object), got an object',
    );
    let deep: unknown = 1;
    for (let i = 0; i < 9; i++) deep = [deep];
    const tooDeep = validateToWebview(withValue(deep));
    assert.match(
      tooDeep.ok ? '' : tooDeep.error,
      /^message\.model\.analysis\.spec\.layers\[0\]\.params\[0\]\[1\]\.value(\[0\]){8}: expected plain data nested at most 8 deep, got an array of 1$/,
    );
    const polluted = validateToWebview(
      JSON.parse(JSON.stringify(withValue({})).replace('"value":{}', '"value":{"__proto__":{"polluted":true}}')),
    );
    assert.ok(polluted.ok && polluted.message.type === 'model' && polluted.message.model.kind === 'runnable');
    const value = polluted.message.model.analysis.spec.layers[0]!.params[0]![1].value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepStrictEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
