// Property tests over hostile shapes of input (fast-check): deep nesting, long names, YAML anchors
// placed anywhere, control characters in names, many layers. Each property is about the message:
// it names the value or the limit, points at the right place, and nothing else is reported.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { analyzeYaml } from '../../src/core';
import { MAX_LAYERS } from '../../src/core/limits';
import { analyzeSource } from '../../src/core';
import { VALUE_LIMITS } from '../../src/core/frontends/ts/values';
import { reportTable, terminalSafe } from '../../src/core';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('hostile inputs (fast-check)', () => {
  it('nesting of any depth: exact up to the limit, one error naming the limit past it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * VALUE_LIMITS.depth }), fc.constantFrom(['(', ')'], ['[', ']']), (depth, [open, close]) => {
        // `[[[5]]]` is not a number: read it back with `[0]` as many times as it nests.
        const read = open === '[' ? '[0]'.repeat(depth) : '';
        const text = `const d = ${open!.repeat(depth)}5${close!.repeat(depth)};\nexport default { input: [1, 3, 8, 8], layers: [{ conv2d: { out_channels: d${read}, kernel_size: 1 } }] };\n`;
        const result = analyzeSource('n.cnn.ts', text, () => ts);
        if (depth > VALUE_LIMITS.depth) {
          assert.equal(result.diagnostics.length, 1);
          assert.equal(result.diagnostics[0]!.code, 'ts.too-deep');
          assert.match(result.diagnostics[0]!.message, new RegExp(`more than ${VALUE_LIMITS.depth} levels`));
        } else {
          assert.deepEqual(result.diagnostics, []);
          // 5 filters of 3×1×1 plus 5 biases.
          assert.equal(result.model?.layers[0]?.params, 20n);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a long unknown `from` of any length: one error that quotes it in full, at its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.constantFrom('x', 'conv', 'q_'), (length, unit) => {
        const ref = `r${unit.repeat(Math.ceil(length / unit.length)).slice(0, length)}`;
        const text = `input: [1, 3, 8, 8]\nlayers:\n  - name: conv1\n    relu: {}\n  - from: ${ref}\n    relu: {}\n`;
        const errors = analyzeYaml(text).diagnostics.filter((d) => d.severity === 'error');
        assert.equal(errors.length, 1);
        assert.ok(errors[0]!.message.startsWith(`relu_2: no layer named '${ref}'`));
        assert.deepEqual(errors[0]!.range, { start: { line: 4, character: 10 }, end: { line: 4, character: 10 + ref.length } });
      }),
      { numRuns: 40 },
    );
  });

  it('a YAML alias in place of any parameter: one yaml.alias error on it, quoting the anchored value, and nothing else', () => {
    const params = ['out_channels', 'kernel_size', 'stride', 'padding', 'dilation'];
    fc.assert(
      fc.property(fc.subarray(params, { minLength: 1 }), fc.integer({ min: 1, max: 9 }), (aliased, value) => {
        const written = { out_channels: '4', kernel_size: '3', stride: '1', padding: '0', dilation: '1' } as Record<string, string>;
        for (const p of aliased) written[p] = '*v';
        const layer = Object.entries(written)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        const text = `anchors: &v ${value}\ninput: [1, 3, 32, 32]\nlayers:\n  - conv2d: {${layer}}\n`;
        const result = analyzeYaml(text);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        assert.equal(errors.length, aliased.length, errors.map((d) => d.message).join('\n'));
        for (const e of errors) {
          assert.equal(e.code, 'yaml.alias');
          assert.ok(e.message.endsWith(`write ${value} here`), e.message);
          assert.equal(text.split('\n')[e.range.start.line]!.slice(e.range.start.character, e.range.end.character), '*v');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('control characters in model and layer names never reach the table raw, and the names stay readable', () => {
    const name = fc.string({
      unit: fc.oneof(fc.constantFrom('\u001b', '\r', '\u0007', '\u009b', '\u202e', '\u0000', '['), fc.constantFrom('a', 'b', '0')),
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(name, name, (modelName, layerName) => {
        const text = `name: ${JSON.stringify(modelName)}\ninput: [1, 3, 8, 8]\nlayers:\n  - name: ${JSON.stringify(layerName)}\n    relu: {}\n`;
        const result = analyzeYaml(text);
        const table = terminalSafe(reportTable({ file: 'm.cnn.yaml', result }));
        assert.doesNotMatch(table, RAW_CONTROL);
        if (result.model?.layers[0]?.name === layerName && !layerName.includes('\u0000'))
          assert.ok(table.includes(terminalSafe(layerName)));
      }),
      { numRuns: 200 },
    );
  });

  it('any number of layers: analyzed up to the limit, one error naming it past the limit', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, MAX_LAYERS, MAX_LAYERS + 1), (count) => {
        const result = analyzeYaml(`input: [1, 3, 8, 8]\nlayers:\n${'  - relu: {}\n'.repeat(count)}`);
        if (count > MAX_LAYERS) {
          assert.deepEqual(
            result.diagnostics.map((d) => d.message),
            [`The model has ${count} layers; ConvLens analyzes models of up to ${MAX_LAYERS} layers`],
          );
        } else {
          assert.deepEqual(result.diagnostics, []);
          assert.equal(result.model?.layers.length, count);
        }
      }),
      { numRuns: 4 },
    );
  });
});
