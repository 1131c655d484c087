// Property tests for the TypeScript front ends: randomly mutated model files (the examples and
// the fixtures, with characters deleted and tokens inserted) never make analysis throw, and
// every diagnostic, related location and fix lies inside the document.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Range } from '../../src/core';
import { reportJson, reportTable, stringifyJson } from '../../src/core/analyze/report';
import { analyzeSource } from '../../src/core';

const ROOT = path.join(__dirname, '../../..');
const seeds = [
  ...fs
    .readdirSync(path.join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8') })),
  ...fs
    .readdirSync(path.join(ROOT, 'test/fixtures/ts'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(ROOT, 'test/fixtures/ts', f), 'utf8') })),
];

function inside(text: string, range: Range): boolean {
  const lines = text.split('\n');
  const ok = (p: Range['start']) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  const ordered =
    range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && ordered;
}

function check(file: string, text: string): void {
  const result = analyzeSource(file, text, () => ts);
  for (const d of result.diagnostics) {
    assert.ok(inside(text, d.range), `range of ${d.code} outside the document`);
    for (const r of d.related ?? []) assert.ok(inside(text, r.range), `related range of ${d.code} outside`);
    for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(inside(text, e.range), `fix range of ${d.code} outside`);
  }
  stringifyJson(reportJson([{ file, result }]));
  reportTable({ file, result });
}

describe('TypeScript front ends (fast-check)', () => {
  it('mutated TypeScript model files never throw and keep ranges inside the document', () => {
    assert.ok(seeds.length >= 4);
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.nat({ max: 20 }),
      insert: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '(',
          ')',
          ',',
          '...',
          'x',
          '-1',
          '0',
          "'same'",
          'null',
          ' as const',
          'f()',
          '\n',
          'const ',
          'let ',
          '`${a}`',
          '/*',
        ),
      ),
    });
    fc.assert(
      fc.property(mutation, ({ seed, at, remove, insert }) => {
        const { file, text } = seeds[seed]!;
        const i = Math.floor(at * text.length);
        check(file, text.slice(0, i) + insert + text.slice(i + remove));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
