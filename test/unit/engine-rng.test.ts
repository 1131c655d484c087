// The seeded PRNG behind random weights and inputs: its first values against
// scripts/rng_reference.py (FNV-1a, SplitMix32 and xoshiro128** written from the published
// algorithms in Python; output in test/fixtures/engine/rng-reference.json), and the inline fill
// used for weights against the closure it replaces, value for value.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { createRandom, fillUniform, fillUniformStream } from '../../src/core/engine/rng';

interface Reference {
  seed: number;
  stream: string;
  first: number[];
}

const reference = JSON.parse(readFileSync(path.join(__dirname, '../../../test/fixtures/engine/rng-reference.json'), 'utf8')) as Reference[];

describe('engine PRNG', () => {
  it('matches the Python reference implementation (scripts/rng_reference.py)', () => {
    assert.ok(reference.length >= 4);
    for (const { seed, stream, first } of reference) {
      const random = createRandom(seed, stream);
      assert.deepEqual(
        first.map(() => random()),
        first,
        `seed ${seed}, stream ${JSON.stringify(stream)}`,
      );
    }
  });

  it('fillUniformStream draws exactly the values of fillUniform over createRandom', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.string({ maxLength: 24 }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        (seed, stream, n, bound) => {
          const expected = fillUniform(new Float32Array(n), bound, createRandom(seed, stream));
          const actual = fillUniformStream(new Float32Array(n), bound, seed, stream);
          assert.deepEqual([...actual], [...expected]);
          assert.ok(actual.every((v) => v >= -bound && v < bound));
        },
      ),
      { numRuns: 300 },
    );
  });
});
