// A layer ConvLens can't understand keeps its place in the graph with no shape: the layers that
// read it have no shape either (without further errors), every other layer is unchanged, and the
// totals say they are partial. Oracles: hand calculations and the graph written in the file.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { analyzeSource, analyzeYaml, tensor, totalsStatus, type AnalysisResult } from '../../src/core';
import { concatForward } from '../../src/core/kinds/concat/kernel';
import { reportJson, reportTable } from '../../src/core/analyze/report';
import { summaryMarkdown, totalsLine } from '../../src/extension/summary-table';

const EXAMPLES = path.join(__dirname, '../../../examples');

function errors(result: AnalysisResult) {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

function jsonModel(result: AnalysisResult) {
  const json = reportJson([{ file: 'm.cnn.yaml', result }]) as {
    files: {
      model: {
        totals_complete: boolean;
        total_params: bigint;
        total_macs: bigint;
        layers: { name: string; kind: string; output_shape: number[] | null; params: bigint; macs: bigint }[];
      };
    }[];
  };
  return json.files[0]!.model;
}

// conv1: 8·(3·3·3) + 8 = 224 params, 8·8·8 outputs × 27 = 13,824 MACs (hand).
const SE_LIKE = `input: [1, 3, 8, 8]
layers:
  - name: conv1
    conv2d: {out_channels: 8, kernel_size: 3, padding: 1}
  - name: gate
    adaptive_avgpool2d: {output_size: 1}
  - name: scaled
    scale_by: {}
    from: [conv1, gate]
  - name: conv2
    conv2d: {out_channels: 4, kernel_size: 1}
  - name: side
    conv2d: {out_channels: 2, kernel_size: 1}
    from: conv1
`;

describe('graph after errors', () => {
  it('an unknown kind keeps its place: the next layer does not read the layer before it', () => {
    const result = analyzeYaml(SE_LIKE);
    assert.deepEqual(
      errors(result).map((d) => d.code),
      ['layer.unknown-kind'],
      'one error, no cascade',
    );
    const m = jsonModel(result);
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.output_shape]),
      [
        ['conv1', [1, 8, 8, 8]],
        ['gate', [1, 8, 1, 1]],
        ['scaled', null],
        // Before: conv2 read gate and came out a concrete, wrong [1, 4, 1, 1].
        ['conv2', null],
        // side reads conv1, not the unknown layer: 2·8 + 2 = 18 params, 2·64·8 = 1,024 MACs.
        ['side', [1, 2, 8, 8]],
      ],
    );
    assert.equal(m.layers[4]!.params, 18n);
    assert.equal(m.layers[4]!.macs, 1024n);
    assert.equal(m.totals_complete, false);
    assert.equal(m.total_params, 224n + 18n);
    assert.equal(m.total_macs, 13824n + 1024n);
    assert.deepEqual(totalsStatus(result.model!), { complete: false, unknown: 2, layers: 5 });
    const table = reportTable({ file: 'm.cnn.yaml', result });
    assert.match(table, /Total params: ≥ 242 \(.*\) \(2 of 5 layers unknown\)/);
    assert.match(table, /Total MACs: {3}≥ 14,848 \(.*\) \(2 of 5 layers unknown\)/);
  });

  it('the status bar / CodeLens line and the summary say the totals are lower bounds', () => {
    const model = analyzeYaml(SE_LIKE).model!;
    const line = totalsLine(model, 'macs');
    assert.ok(line.startsWith('≥ 242 params · ≥ '), line);
    assert.ok(line.endsWith('(2 of 5 layers unknown)'), line);
    const summary = summaryMarkdown(model, 'm.cnn.yaml', 'macs', 4);
    assert.match(summary, /\| Total \(2 of 5 layers unknown\) \| \|/);
    assert.match(summary, /\| Params \| ≥ 242 /);
    assert.match(summary, /\| MACs \| ≥ 14,848 /);
    const complete = analyzeYaml(SE_LIKE.replace('scale_by: {}', 'relu: {}').replace('from: [conv1, gate]', 'from: conv1')).model!;
    assert.doesNotMatch(totalsLine(complete, 'macs') + summaryMarkdown(complete, 'm.cnn.yaml', 'macs', 4), /≥|unknown/);
  });

  it('a complete model says its totals are complete, without "≥"', () => {
    const result = analyzeYaml(SE_LIKE.replace('scale_by: {}', 'add: {}').replace('from: [conv1, gate]', 'from: [conv1, conv1]'));
    assert.deepEqual(errors(result), []);
    assert.equal(jsonModel(result).totals_complete, true);
    const table = reportTable({ file: 'm.cnn.yaml', result });
    assert.doesNotMatch(table, /≥|unknown/);
  });

  it('several kinds, no kind, and an item that is not a mapping each keep their place', () => {
    const cases: [string, string, string][] = [
      ['    relu: {}\n    sigmoid: {}', 'layer.multiple-kinds', 'relu_2'],
      ['    name: nothing', 'layer.no-kind', 'nothing'],
      ['    scale_by: {}', 'layer.unknown-kind', 'scale_by_2'],
    ];
    for (const [item, code, name] of cases) {
      const text = `input: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: 3}\n  -${item.slice(3)}\n  - maxpool2d: {kernel_size: 2}\n`;
      const result = analyzeYaml(text);
      assert.deepEqual(
        errors(result).map((d) => d.code),
        [code],
        text,
      );
      const m = jsonModel(result);
      assert.deepEqual(
        m.layers.map((l) => [l.name, l.output_shape]),
        [
          ['conv2d_1', [1, 4, 6, 6]],
          [name, null],
          ['maxpool2d_3', null],
        ],
        text,
      );
      assert.equal(m.totals_complete, false);
    }
    const scalar = analyzeYaml(
      'input: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: 3}\n  - relu\n  - maxpool2d: {kernel_size: 2}\n',
    );
    assert.deepEqual(
      errors(scalar).map((d) => d.code),
      ['layer.not-a-mapping'],
    );
    assert.deepEqual(
      jsonModel(scalar).layers.map((l) => [l.name, l.output_shape]),
      [
        ['conv2d_1', [1, 4, 6, 6]],
        ['layer_2', null],
        ['maxpool2d_3', null],
      ],
    );
  });

  it('a later layer may refer to the unknown layer by name without an unknown-ref error', () => {
    const text = `input: [1, 3, 8, 8]\nlayers:\n  - name: a\n    conv2d: {out_channels: 4, kernel_size: 1}\n  - name: m\n    mystery: {}\n  - name: b\n    conv2d: {out_channels: 4, kernel_size: 1}\n    from: a\n  - name: s\n    add: {}\n    from: [m, b]\n`;
    const result = analyzeYaml(text);
    assert.deepEqual(
      errors(result).map((d) => d.code),
      ['layer.unknown-kind'],
    );
    assert.deepEqual(
      jsonModel(result).layers.map((l) => [l.name, l.output_shape]),
      [
        ['a', [1, 4, 8, 8]],
        ['m', null],
        ['b', [1, 4, 8, 8]],
        ['s', null],
      ],
    );
  });

  it('the *.cnn.ts front end keeps an unknown layer in place too', () => {
    const text = `export default {\n  input: [1, 3, 8, 8],\n  layers: [\n    {name: 'conv1', conv2d: {out_channels: 8, kernel_size: 3, padding: 1}},\n    {name: 'gate', adaptive_avgpool2d: {output_size: 1}},\n    {name: 'scaled', scale_by: {}, from: ['conv1', 'gate']},\n    {name: 'conv2', conv2d: {out_channels: 4, kernel_size: 1}},\n    {name: 'side', conv2d: {out_channels: 2, kernel_size: 1}, from: 'conv1'},\n  ],\n};\n`;
    const result = analyzeSource('m.cnn.ts', text, () => ts);
    assert.deepEqual(
      errors(result).map((d) => d.code),
      ['layer.unknown-kind'],
    );
    const m = jsonModel(result);
    assert.deepEqual(
      m.layers.map((l) => [l.name, l.output_shape]),
      [
        ['conv1', [1, 8, 8, 8]],
        ['gate', [1, 8, 1, 1]],
        ['scaled', null],
        ['conv2', null],
        ['side', [1, 2, 8, 8]],
      ],
    );
    assert.equal(m.totals_complete, false);
  });
});

describe('messages', () => {
  it('an unknown kind without a near spelling names three close kinds, not all of them', () => {
    const result = analyzeYaml('input: [1, 3, 8, 8]\nlayers:\n  - instance_norm2d: {}\n');
    const d = errors(result)[0]!;
    assert.equal(d.code, 'layer.unknown-kind');
    const named = /closest of the (\d+) kinds are ([a-z0-9_, ]+) \(/.exec(d.message);
    assert.ok(named, d.message);
    assert.ok(Number(named[1]) > 20);
    const kinds = named[2]!.split(', ');
    assert.equal(kinds.length, 3);
    // Too far from any kind for "did you mean", but the two other norms share "norm2d": they come first.
    assert.deepEqual(kinds.slice(0, 2).sort(), ['batchnorm2d', 'layer_norm2d']);
    assert.ok(d.message.length < 160, `${d.message.length} characters: ${d.message}`);
  });

  it('concat of one input is that input, as torch.cat([x], 1) (DenseNet)', () => {
    const result = analyzeYaml(
      'input: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 5, kernel_size: 1}\n  - concat: {}\n  - name: one\n    concat: {}\n    from: [conv2d_1]\n',
    );
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.model!.layers.map((l) => l.outputShape),
      [
        [1, 5, 8, 8],
        [1, 5, 8, 8],
        [1, 5, 8, 8],
      ],
    );
    const x = tensor([2, 3, 2, 2]);
    x.data.forEach((_, i) => (x.data[i] = i * 0.5 - 3));
    const y = concatForward([x], 1);
    assert.deepEqual(y.shape, [2, 3, 2, 2]);
    assert.deepEqual(Array.from(y.data), Array.from(x.data));
  });
});

// The property: insert an unknown layer anywhere in a valid model (every layer named, so names
// don't shift); it and everything it feeds (by the file's own `from` graph) is null, every other
// layer is exactly as before, and the totals are partial.
const SEEDS = ['lenet5.cnn.yaml', 'alexnet.cnn.yaml', 'vgg11.cnn.yaml', 'resnet-mini.cnn.yaml'].map((f) => {
  const text = readFileSync(path.join(EXAMPLES, f), 'utf8');
  const before = analyzeYaml(text);
  assert.deepEqual(errors(before), [], f);
  const doc = parseDocument(text);
  const layers = doc.get('layers') as unknown;
  assert.ok(isSeq(layers));
  layers.items.forEach((item, i) => {
    assert.ok(isMap(item));
    (item as YAMLMap).set('name', before.model!.layers[i]!.name);
  });
  return { file: f, doc, before };
});

describe('graph after errors: property', () => {
  it('inserting an unknown layer nulls exactly it and what it feeds, and marks the totals partial', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        (s, where, fromAt) => {
          const seed = SEEDS[s]!;
          const original = seed.before.model!.layers;
          const at = Math.min(original.length, Math.floor(where * (original.length + 1)));
          const doc = seed.doc.clone();
          const seq = doc.get('layers') as { items: unknown[] };
          const unknown = doc.createNode({ name: 'mystery', squeeze_excite: { ratio: 4 } }) as YAMLMap;
          // Optionally, the unknown layer reads an earlier layer by name instead of the previous one.
          const fromName = fromAt !== undefined && at > 0 ? original[Math.floor(fromAt * at)]!.name : undefined;
          if (fromName !== undefined) unknown.set('from', fromName);
          seq.items.splice(at, 0, unknown);
          const after = analyzeYaml(doc.toString());
          assert.deepEqual(
            errors(after).map((d) => d.code),
            ['layer.unknown-kind'],
          );
          const layers = after.model!.layers;
          assert.equal(layers.length, original.length + 1);
          assert.equal(layers[at]!.name, 'mystery');
          assert.equal(layers[at]!.outputShape, null);
          // What the unknown layer feeds, from the file: its successor when that has no `from`, and
          // any layer whose inputs (as resolved in the valid model) include a fed layer.
          const fed = new Set(['mystery']);
          original.forEach((l, i) => {
            const readsPrevious = l.spec.from === undefined;
            const reads = readsPrevious && i === at ? ['mystery'] : l.inputs;
            if (reads.some((n) => fed.has(n))) fed.add(l.name);
          });
          original.forEach((l, i) => {
            const now = layers[i < at ? i : i + 1]!;
            assert.equal(now.name, l.name);
            if (fed.has(l.name)) {
              assert.equal(now.outputShape, null, `${l.name} reads the unknown layer`);
              assert.equal(now.params, 0n);
            } else {
              assert.deepEqual([now.outputShape, now.params, now.macs], [l.outputShape, l.params, l.macs], `${l.name} is unchanged`);
            }
          });
          const status = totalsStatus(after.model!);
          assert.deepEqual(status, { complete: false, unknown: fed.size, layers: original.length + 1 });
          assert.equal(jsonModel(after).totals_complete, false);
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });
});
