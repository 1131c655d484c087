// Did-you-mean under hostile inputs: the bounded, banded edit distance agrees with a plain
// full-matrix Damerau (OSA) distance written here as the oracle, and the suggestions for unknown
// `from` references stay within a fixed amount of work however many there are.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { analyzeYaml } from '../../src/core';
import { boundedEditDistance, closestMatch, ReferenceSuggester } from '../../src/core/suggest';

/** The textbook optimal-string-alignment distance, full matrix (the oracle). */
function osaDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('did-you-mean on hostile inputs', () => {
  it('the banded distance equals min(OSA distance, limit + 1) (fast-check)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
        assert.equal(
          boundedEditDistance(a, b, limit),
          Math.min(osaDistance(a, b), limit + 1),
          `${JSON.stringify(a)} ${JSON.stringify(b)} limit ${limit}`,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('known distances: a transposition is one edit, and long words far apart stop at the limit', () => {
    assert.equal(boundedEditDistance('conv1', 'cnov1', 3), 1);
    assert.equal(boundedEditDistance('kitten', 'sitting', 3), 3);
    assert.equal(boundedEditDistance('a'.repeat(20_000), 'b'.repeat(20_000), 3), 4);
    assert.equal(boundedEditDistance('a'.repeat(20_000), `${'a'.repeat(19_999)}b`, 3), 1);
    assert.equal(closestMatch('kernal_size', ['kernel_size', 'stride']), 'kernel_size');
    assert.equal(closestMatch('MaxPool2d', ['maxpool2d', 'avgpool2d']), 'maxpool2d');
    assert.equal(closestMatch('x'.repeat(20_000), ['kernel_size']), undefined);
  });

  it('a 20,000-character name and an unknown 20,000-character `from` (40 KB): one error, no suggestion', () => {
    const name = 'a'.repeat(20_000);
    const ref = 'b'.repeat(20_000);
    const text = `input: [1, 3, 8, 8]\nlayers:\n  - name: ${name}\n    relu: {}\n  - from: ${ref}\n    relu: {}\n`;
    const result = analyzeYaml(text);
    const unknown = result.diagnostics.filter((d) => d.code === 'graph.unknown-ref');
    assert.equal(unknown.length, 1);
    assert.ok(unknown[0]!.message.includes(`no layer named '${ref}'`));
    assert.ok(!unknown[0]!.message.includes('did you mean'));
  });

  it('a long name one edit away is still suggested', () => {
    const name = 'a'.repeat(5_000);
    const text = `input: [1, 3, 8, 8]\nlayers:\n  - name: ${name}\n    relu: {}\n  - from: ${name}b\n    relu: {}\n`;
    const [unknown] = analyzeYaml(text).diagnostics.filter((d) => d.code === 'graph.unknown-ref');
    assert.ok(unknown?.message.endsWith(`did you mean '${name}'?`));
  });

  it('suggestions only name earlier layers or the input', () => {
    const s = new ReferenceSuggester([
      { name: 'input', position: -1 },
      { name: 'conv1', position: 0 },
      { name: 'conv2', position: 1 },
    ]);
    assert.equal(s.closest('conv2x', 1), 'conv1');
    assert.equal(s.closest('conv2x', 2), 'conv2');
    assert.equal(s.closest('inptu', 0), 'input');
  });

  it('10,000 unknown references: the first get suggestions, the work stops at the budget', () => {
    // Every name has the same length, the worst case for grouping by length.
    const names = Array.from({ length: 10_000 }, (_, i) => `layer${String(i).padStart(5, '0')}`);
    const s = new ReferenceSuggester(names.map((name, position) => ({ name, position })));
    const suggestions = names.map((name, i) => s.closest(`${name.slice(0, -1)}x`, i));
    assert.equal(suggestions[1], 'layer00000');
    assert.ok(s.exhausted, 'the budget is spent on this file');
    const answered = suggestions.filter((x) => x !== undefined).length;
    assert.ok(answered < 10_000 && answered > 100, `${answered} answered`);
  });
});
