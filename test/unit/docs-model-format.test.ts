// docs/model-format.md is the users' reference: every kind a YAML or *.cnn.ts file may use must
// have a row there that names the kind and every one of its parameters.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kindsFor } from '../../src/core/kinds';

const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'model-format.md'), 'utf8');

/** The table rows (lines starting with `|`) whose first cell names `kind` in backquotes. */
function rowsNaming(kind: string): string[] {
  return DOC.split('\n').filter((line) => line.startsWith('|') && (line.split('|')[1] ?? '').includes(`\`${kind}\``));
}

// Parameters every convolution-like kind accepts only to check them against the input's shape;
// section 1 documents them once for all kinds.
const CHECKED_ONLY = new Set(['in_channels', 'in_features', 'num_features']);

describe('docs/model-format.md', () => {
  const kinds = kindsFor('pytorch');

  it('covers the kinds of the registry (a non-empty list)', () => {
    assert.ok(kinds.length >= 30, `only ${kinds.length} kinds found`);
  });

  for (const def of kinds) {
    it(`documents ${def.kind} and each of its parameters`, () => {
      const rows = rowsNaming(def.kind);
      assert.ok(rows.length > 0, `no table row names \`${def.kind}\``);
      const text = rows.join('\n');
      for (const param of def.params) {
        if (CHECKED_ONLY.has(param.name)) continue;
        assert.ok(text.includes(`\`${param.name}\``), `${def.kind}: parameter \`${param.name}\` is not in its row`);
      }
    });
  }

  it('documents the parameters that are only checked, and the from syntax', () => {
    for (const name of CHECKED_ONLY) assert.ok(DOC.includes(`\`${name}\``), name);
    assert.match(DOC, /\*\*`from`\*\*/);
  });
});
