// Hostile TypeScript model files: shared values that double at every const, long const chains,
// long sums, deep nesting, self-references, doubling spreads and templates. Each ends with an
// exact result or one error that names the limit; none overflows the stack or the heap.
// Expected numbers are worked out by hand in each test (conv2d params = C_out·C_in·k² + C_out).

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { analyzeSource } from '../../src/core';
import { VALUE_LIMITS } from '../../src/core/frontends/ts/values';

/** A one-conv model whose out_channels is the expression `k` (input has 3 channels, 3×3 kernel). */
function model(prelude: string, k: string): string {
  return `${prelude}\nexport default {\n  input: [1, 3, 8, 8],\n  layers: [\n    { conv2d: { out_channels: ${k}, kernel_size: 3 } },\n  ],\n};\n`;
}

function analyze(text: string) {
  return analyzeSource('hostile.cnn.ts', text, () => ts);
}

function errors(text: string) {
  return analyze(text).diagnostics.filter((d) => d.severity === 'error');
}

function convParams(outChannels: number): bigint {
  return BigInt(outChannels) * 3n * 9n + BigInt(outChannels);
}

describe('hostile TypeScript model files', () => {
  it('41 consts that each double the last (`const k_i = [k_{i-1}, k_{i-1}]`, 2^40 copies): one error naming the value limit', () => {
    const lines = ['const k0 = [3];', ...Array.from({ length: 40 }, (_, i) => `const k${i + 1} = [k${i}, k${i}];`)];
    const [error, ...more] = errors(model(lines.join('\n'), 'k40'));
    assert.equal(more.length, 0);
    assert.equal(error?.code, 'ts.limit');
    assert.match(error!.message, new RegExp(`holds more than ${VALUE_LIMITS.size} values`));
  });

  it('a shared value under the limit is read exactly (`[k, k]` 10 times: 1024 threes, 2047 arrays)', () => {
    const lines = ['const k0 = 3;', ...Array.from({ length: 10 }, (_, i) => `const k${i + 1} = [k${i}, k${i}];`)];
    const [error] = errors(model(lines.join('\n'), 'k10'));
    // out_channels is an array: the parameter check quotes it, not a limit.
    assert.equal(error?.code, 'param.invalid-value');
  });

  it('a chain of 3,000 consts is followed to its value', () => {
    const lines = ['const c0 = 5;', ...Array.from({ length: 3000 }, (_, i) => `const c${i + 1} = c${i};`)];
    const result = analyze(model(lines.join('\n'), 'c3000'));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.model?.layers[0]?.params, convParams(5));
  });

  it('a chain of 3,000 consts declared in reverse order (each uses the next) is followed too', () => {
    const lines = [...Array.from({ length: 3000 }, (_, i) => `const c${i} = c${i + 1} + 1;`), 'const c3000 = 2;'];
    const result = analyze(model(lines.join('\n'), 'c0'));
    assert.equal(result.model?.layers[0]?.params, convParams(3002));
  });

  it('a sum of 6,000 terms is exact', () => {
    const result = analyze(model(`const s = ${Array(6000).fill('1').join(' + ')};`, 's'));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.model?.layers[0]?.params, convParams(6000));
  });

  it('10,000 nested parentheses or brackets: one error at the 201st, naming the limit', () => {
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{a: ', '}'],
    ]) {
      const prelude = `const d = ${open!.repeat(10_000)}3${close!.repeat(10_000)};`;
      const [error, ...more] = errors(model(prelude, 'd'));
      assert.equal(more.length, 0);
      assert.equal(error?.code, 'ts.too-deep');
      assert.match(error!.message, /more than 200 levels/);
      assert.deepEqual(error!.range.start, { line: 0, character: 'const d = '.length + 200 * open!.length });
    }
  });

  it('brackets inside strings, comments and template text do not count as nesting', () => {
    const noise = `// ${'('.repeat(500)}\n/* ${'['.repeat(500)} */\nconst s = '${'{'.repeat(500)}';\nconst t = \`${'('.repeat(500)}\${1}${'['.repeat(500)}\`;`;
    const result = analyze(model(noise, '4'));
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.model?.layers[0]?.params, convParams(4));
  });

  it('`const o = { x: o.y, y: o.x }`: out_channels refers to itself (an info, no crash)', () => {
    const result = analyze(model('const o = { x: o.y, y: o.x };', 'o.x'));
    const [info] = result.diagnostics;
    assert.equal(result.diagnostics.length, 1);
    assert.equal(info?.code, 'ts.unresolved');
    assert.match(info!.message, /refers to itself/);
  });

  it('a const that refers to itself through another const: an info, no crash', () => {
    const result = analyze(model('const a = b + 1;\nconst b = a + 1;', 'a'));
    assert.ok(result.diagnostics.some((d) => d.code === 'ts.unresolved' && /refers to itself/.test(d.message)));
  });

  it('doubling spreads (`[...a, ...a]` 40 times): one error naming the item limit', () => {
    const lines = ['const a0 = [1];', ...Array.from({ length: 40 }, (_, i) => `const a${i + 1} = [...a${i}, ...a${i}];`)];
    const [error, ...more] = errors(model(lines.join('\n'), 'a40.length'));
    assert.equal(more.length, 0);
    assert.equal(error?.code, 'ts.limit');
    // 2^17 = 131072 is the first power of two over 100,000.
    assert.match(error!.message, /makes 131072 items, over the limit of 100000/);
  });

  it('doubling spreads under the limit give the exact length (2^10 = 1024)', () => {
    const lines = ['const a0 = [1];', ...Array.from({ length: 10 }, (_, i) => `const a${i + 1} = [...a${i}, ...a${i}];`)];
    assert.equal(analyze(model(lines.join('\n'), 'a10.length')).model?.layers[0]?.params, convParams(1024));
  });

  it('doubling template strings and string sums: one error naming the length limit', () => {
    const template = ["const t0 = 'ab';", ...Array.from({ length: 40 }, (_, i) => `const t${i + 1} = \`\${t${i}}\${t${i}}\`;`)];
    const plus = ["const t0 = 'ab';", ...Array.from({ length: 40 }, (_, i) => `const t${i + 1} = t${i} + t${i};`)];
    for (const lines of [template, plus]) {
      const [error, ...more] = errors(model(lines.join('\n'), 't40.length'));
      assert.equal(more.length, 0);
      assert.equal(error?.code, 'ts.limit');
      // 'ab' doubled 19 times is 2^20 = 1048576 characters, the first length over 1,000,000.
      assert.match(error!.message, /makes a string of 1048576 characters, over the limit of 1000000/);
    }
  });

  it('property: a const chain of any length, a sum of any length and any sharing is exact or a named limit (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 30 }),
        (chain, terms, doublings) => {
          const lines = [`const c0 = ${Array(terms).fill('1').join(' + ')};`];
          for (let i = 1; i <= chain; i++) lines.push(`const c${i} = c${i - 1};`);
          lines.push('const k0 = [1];');
          for (let i = 1; i <= doublings; i++) lines.push(`const k${i} = [...k${i - 1}, ...k${i - 1}];`);
          const result = analyze(model(lines.join('\n'), `c${chain} + k${doublings}.length`));
          const expected = terms + 2 ** doublings;
          if (2 ** doublings > VALUE_LIMITS.items) {
            const [error] = result.diagnostics;
            assert.equal(error?.code, 'ts.limit');
            assert.match(
              error!.message,
              new RegExp(`makes ${2 ** (Math.floor(Math.log2(VALUE_LIMITS.items)) + 1)} items, over the limit of ${VALUE_LIMITS.items}`),
            );
          } else {
            assert.deepEqual(result.diagnostics, []);
            assert.equal(result.model?.layers[0]?.params, convParams(expected));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
