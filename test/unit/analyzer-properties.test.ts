// Property tests: random and mutated model files never make the analyzer throw, and every
// problem comes out as a diagnostic whose range lies inside the document.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeYaml, LAYER_KINDS, type Range } from '../../src/core';
import { reportJson, reportTable, stringifyJson } from '../../src/core/analyze/report';

const EXAMPLES = path.join(__dirname, '../../../examples');
const seeds = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.cnn.yaml'))
  .map((f) => readFileSync(path.join(EXAMPLES, f), 'utf8'));

function inside(text: string, range: Range): boolean {
  const lines = text.split('\n');
  const ok = (p: Range['start']) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  const ordered =
    range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && ordered;
}

/** Analyzes, renders every output form, and checks every range; throws on any violation. */
function check(text: string): void {
  const result = analyzeYaml(text);
  for (const d of result.diagnostics) {
    assert.ok(inside(text, d.range), `range ${JSON.stringify(d.range)} of ${d.code} is outside the document`);
    assert.ok(d.message.length > 0);
    for (const r of d.related ?? []) assert.ok(inside(text, r.range), `related range of ${d.code} outside`);
    for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(inside(text, e.range), `fix range of ${d.code} outside`);
  }
  stringifyJson(reportJson([{ file: 'x.cnn.yaml', result }]));
  reportTable({ file: 'x.cnn.yaml', result });
}

const kinds = LAYER_KINDS.map((k) => k.kind);
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.double({ min: -2, max: 4, noNaN: true }),
  fc.constantFrom('same', 'valid', 'nearest', 'true', 'null', '', 'x'),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const paramName = fc.oneof(
  fc.constantFrom(
    'out_channels',
    'kernel_size',
    'stride',
    'padding',
    'dilation',
    'groups',
    'bias',
    'ceil_mode',
    'output_size',
    'out_features',
    'dim',
    'p',
    'scale_factor',
    'size',
    'in_channels',
    'start_dim',
    'output_padding',
  ),
  fc.string({ maxLength: 8 }),
);
const layer = fc.record({
  kind: fc.oneof(fc.constantFrom(...kinds), fc.string({ maxLength: 10 })),
  name: fc.option(fc.constantFrom('a', 'b', 'c', 'input', 'conv2d_1'), { nil: undefined }),
  from: fc.option(fc.array(fc.constantFrom('a', 'b', 'c', 'input', 'zz'), { maxLength: 3 }), { nil: undefined }),
  params: fc.dictionary(paramName, value, { maxKeys: 5 }),
});
const document = fc.record({
  input: fc.oneof(fc.array(fc.integer({ min: -1, max: 64 }), { maxLength: 5 }), fc.constant({ dataset: 'coco' }), fc.constant('x')),
  layers: fc.array(layer, { maxLength: 12 }),
});

function render(doc: {
  input: unknown;
  layers: { kind: string; name?: string; from?: string[]; params: Record<string, unknown> }[];
}): string {
  const lines = [`input: ${JSON.stringify(doc.input)}`, 'layers:'];
  for (const l of doc.layers) {
    lines.push(`  - ${JSON.stringify(l.kind)}: ${JSON.stringify(l.params)}`);
    if (l.name !== undefined) lines.push(`    name: ${l.name}`);
    if (l.from !== undefined) lines.push(`    from: ${JSON.stringify(l.from)}`);
  }
  return lines.join('\n') + '\n';
}

describe('analyzer properties (fast-check)', () => {
  it('random model documents never throw and keep ranges inside the document', () => {
    fc.assert(
      fc.property(document, (doc) => check(render(doc))),
      { numRuns: 400, seed: 42 },
    );
  });

  it('mutated example files never throw and keep ranges inside the document', () => {
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.nat({ max: 12 }),
      insert: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom(':', '{', '}', '[', ']', '- ', '\n', '  ', '#', '"', "'", '&a', '*a', '!!int', '\t'),
      ),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let text = seeds[mutations[0]!.seed]!;
        for (const m of mutations) {
          const at = Math.floor(m.at * text.length);
          text = text.slice(0, at) + m.insert + text.slice(at + m.remove);
        }
        check(text);
      }),
      { numRuns: 600, seed: 7 },
    );
  });

  it('arbitrary text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => check(text)),
      { numRuns: 300, seed: 3 },
    );
  });
});
