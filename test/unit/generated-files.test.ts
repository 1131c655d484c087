// The committed files derived from the layer registry are current: someone who adds or changes
// a kind and forgets `node scripts/generate.mjs` fails here.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../../scripts/generators';

const ROOT = path.resolve(__dirname, '../../..');

describe('generated files (node scripts/generate.mjs)', () => {
  for (const [file, text] of generatedFiles()) {
    it(`${file} is up to date with the layer registry`, () => {
      assert.ok(fs.readFileSync(path.join(ROOT, file), 'utf8') === text, `${file} is out of date: run \`node scripts/generate.mjs\``);
    });
  }
});
