// Hostile and unlucky YAML model files: huge and non-finite numbers, integers past 2^53, flatten
// past 2^53, aliases and merge keys, CR-only line ends, UTF-16 read as UTF-8. Each gives an exact
// result or an error that quotes the value and the allowed range, never a crash or a rounded
// count. Expected counts are worked out by hand (in bigint) in each test.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { analyzeYaml } from '../../src/core';
import { MAX_DIMENSION } from '../../src/core/limits';

function errors(text: string) {
  return analyzeYaml(text).diagnostics.filter((d) => d.severity === 'error');
}

function conv(params: string, input = '[1, 3, 8, 8]'): string {
  return `input: ${input}\nlayers:\n  - conv2d: {${params}}\n`;
}

describe('hostile YAML model files', () => {
  it('integers past 2^53 are quoted exactly, not rounded (9007199254740993, not …992)', () => {
    const [error, ...more] = errors(conv('out_channels: 9007199254740993, kernel_size: 1'));
    assert.equal(more.length, 0);
    assert.equal(error?.message, `conv2d_1: out_channels must be an integer from 1 to ${MAX_DIMENSION}, got 9007199254740993`);
    assert.deepEqual(error?.range.start, { line: 2, character: 27 });
  });

  it('the largest allowed out_channels (2^31 − 1) gives exact params: 2147483647·3 + 2147483647 = 8589934588', () => {
    const result = analyzeYaml(conv('out_channels: 2147483647, kernel_size: 1'));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.model?.layers[0]?.params, 8_589_934_588n);
  });

  it('1e308 as padding, out_channels, input size or scale: one error quoting 1e+308 and the range', () => {
    const cases: [string, RegExp][] = [
      [conv('out_channels: 4, kernel_size: 3, padding: 1e308'), /padding must be an integer from 0 to 2147483647, got 1e\+308/],
      [
        `${conv('out_channels: 1e308, kernel_size: 3')}  - flatten: {}\n`,
        /out_channels must be an integer from 1 to 2147483647, got 1e\+308/,
      ],
      [
        'input: [1, 3, 8, 8]\nlayers:\n  - upsample: {scale_factor: 1e308}\n',
        /scale_factor must be a positive finite number \(at most 2147483647\).*got 1e\+308/,
      ],
      ['input: [1, 3, 1e308, 8]\nlayers:\n  - relu: {}\n', /input dimension 2 is 1e\+308, over the 2147483647/],
    ];
    for (const [text, message] of cases) {
      const found = errors(text);
      assert.equal(found.length, 1, found.map((d) => d.message).join('\n'));
      assert.match(found[0]!.message, message);
    }
  });

  it('a scale that makes a dimension past 2^31 − 1 is refused with the dimension (8·3e8 = 2400000000)', () => {
    const [error, ...more] = errors('input: [1, 3, 8, 8]\nlayers:\n  - upsample: {scale_factor: 300000000}\n');
    assert.equal(more.length, 0);
    assert.equal(error?.code, 'shape.too-large');
    assert.match(error!.message, /upsample_1: output dimension 2 is 2400000000, over the 2147483647 \(2\^31 − 1\)/);
  });

  it('flatten is exact: [1, 3, 100000, 100000] → 30,000,000,000 features, linear params 30000000000·10 + 10', () => {
    const result = analyzeYaml('input: [1, 3, 100000, 100000]\nlayers:\n  - flatten: {}\n  - linear: {out_features: 10}\n');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.model?.layers[0]?.outputShape, [1, 30_000_000_000]);
    assert.equal(result.model?.layers[1]?.params, 300_000_000_010n);
  });

  it('flatten past 2^53 − 1: an error with the exact product (8·999999996² = 7999999936000000128)', () => {
    const text =
      'input: [1, 3, 1000000000, 1000000000]\nlayers:\n  - conv2d: {out_channels: 8, kernel_size: 3}\n  - conv2d: {out_channels: 8, kernel_size: 3}\n  - flatten: {}\n  - linear: {out_features: 1000}\n';
    const result = analyzeYaml(text);
    const [error, ...more] = result.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(more.length, 0);
    assert.match(error!.message, /merges 8 · 999999996 · 999999996 = 7999999936000000128 values, over 9007199254740991 \(2\^53 − 1\)/);
    // The convolutions before it are exact: (3·9 + 1)·8 = 224 params, 8·999999998²·27 MACs.
    assert.equal(result.model?.layers[0]?.params, 224n);
    assert.equal(result.model?.layers[0]?.macs, 8n * 999_999_998n * 999_999_998n * 27n);
  });

  it('Linear on a 4-D input whose other dimensions multiply past 2^53 counts MACs exactly', () => {
    const result = analyzeYaml('input: [1, 2147483647, 2147483647, 4]\nlayers:\n  - linear: {out_features: 3}\n');
    assert.equal(result.model?.layers[0]?.macs, 2_147_483_647n * 2_147_483_647n * 4n * 3n);
  });

  it('NaN and ±Infinity are quoted as such, not as null, and an invalid kernel_size is not followed by "needs kernel_size"', () => {
    const found = errors(
      'input: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: .nan}\n  - conv2d: {out_channels: .inf, kernel_size: 3}\n  - conv2d: {out_channels: 4, kernel_size: [3, -.inf]}\n',
    );
    assert.deepEqual(
      found.map((d) => d.message),
      [
        'conv2d_1: kernel_size must be a positive integer, got NaN',
        'conv2d_2: out_channels must be an integer from 1 to 2147483647, got Infinity',
        'conv2d_3: kernel_size must be an integer from 1 to 2147483647, got -Infinity',
      ],
    );
  });

  it('aliases and merge keys: an error each that says so (quoting an aliased scalar), no internal text, no false follow-up', () => {
    const text =
      'k: &k 3\ninput: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: *k}\n  - conv2d: {<<: {out_channels: 4}, kernel_size: 3}\n';
    const found = errors(text);
    assert.deepEqual(
      found.map((d) => [d.code, d.message, d.range.start]),
      [
        [
          'yaml.alias',
          'YAML alias *k: ConvLens reads every value where it is written and does not follow aliases; write 3 here',
          { line: 3, character: 43 },
        ],
        [
          'yaml.merge-key',
          'YAML merge key `<<`: ConvLens reads every key where it is written and does not merge mappings; write the keys in this mapping',
          { line: 4, character: 13 },
        ],
      ],
    );
  });

  it('an alias bomb is never expanded (nine levels of ten aliases each)', () => {
    const lines = ['a0: &a0 [1, 2, 3]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `${lines.join('\n')}\ninput: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: *a9}\n`;
    const found = errors(text);
    assert.equal(found.length, 91);
    assert.ok(found.every((d) => d.code === 'yaml.alias'));
  });

  it('CR-only line ends are read like LF, with the same positions', () => {
    const lf = 'input: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: 9}\n';
    const cr = lf.replace(/\n/g, '\r');
    const a = analyzeYaml(lf);
    const b = analyzeYaml(cr);
    assert.deepEqual(b.diagnostics, a.diagnostics);
    assert.ok(a.diagnostics.length > 0);
  });

  it('UTF-16 read as UTF-8 (NUL characters): one error that names the encoding', () => {
    const utf16 = Buffer.from('\ufeffinput: [1, 3, 8, 8]\nlayers:\n  - relu: {}\n', 'utf16le').toString('utf8');
    const found = errors(utf16);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.code, 'model.encoding');
    assert.match(found[0]!.message, /UTF-16/);
  });

  it('property: a huge, non-finite or past-2^53 integer parameter gives one error quoting it and the range (fast-check)', () => {
    const written = fc.oneof(
      fc.constantFrom(['.nan', 'NaN'], ['.inf', 'Infinity'], ['-.inf', '-Infinity'], ['1e308', '1e+308']),
      fc.bigInt({ min: 2n ** 31n, max: 2n ** 80n }).map((n) => [String(n), String(n)]),
      fc.integer({ min: 31, max: 300 }).map((e) => [`1e${e}`, String(Number(`1e${e}`))]),
    );
    const param = fc.constantFrom(['out_channels', 1], ['kernel_size', 1], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1]);
    fc.assert(
      fc.property(written, param, ([text, quoted], [name, min]) => {
        const params = { out_channels: '4', kernel_size: '3', [name as string]: text };
        const yaml = conv(
          Object.entries(params)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', '),
        );
        const found = errors(yaml);
        assert.equal(found.length, 1, found.map((d) => d.message).join('\n'));
        const message = found[0]!.message;
        assert.ok(message.includes(`got ${quoted}`), message);
        if (quoted !== 'NaN') assert.ok(message.includes(`${name} must be an integer from ${min} to 2147483647`), message);
        const line = yaml.split('\n')[2]!;
        assert.equal(line.slice(found[0]!.range.start.character, found[0]!.range.end.character), text);
      }),
      { numRuns: 300 },
    );
  });
});
