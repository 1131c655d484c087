// `convlens run` end to end, in process: stdout, stderr, exit status and the written .npy.

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runRunCommand, topK } from '../../src/cli/run';
import { encodeNpy, parseNpy } from '../../src/core/run/npy';
import { tensor } from '../../src/core/engine/tensor';
import { assertClose, decodeArray, FIXTURES, type FixtureArray } from './engine-support.test';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '',
    stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await runRunCommand(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const fixture = (name: string) => path.join(FIXTURES, name);

describe('convlens run', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'convlens-run-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a model with weights and input, writes the chosen layer and prints times and the top-5', async () => {
    const out = path.join(dir, 'b2_add.npy');
    const r = await run([
      fixture('resnet_small.cnn.yaml'),
      '--weights',
      fixture('resnet_small.safetensors'),
      '--input',
      fixture('resnet_small.input.npy'),
      '--layer',
      'b2_add',
      '--out',
      out,
      '--verbose',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /weights from resnet_small\.safetensors/);
    assert.match(r.stdout, /^stem_bn\s+batchnorm2d\s+\[2, 16, 32, 32\]\s+\d+\.\d\d$/m);
    assert.match(r.stdout, /top-5 of fc/);
    const expected = JSON.parse(readFileSync(fixture('resnet_small.expected.json'), 'utf8')) as { outputs: Record<string, FixtureArray> };
    assertClose(parseNpy(readFileSync(out)), decodeArray(expected.outputs.b2_add!), 1e-4, 'written b2_add');
    // The top-5 line lists the classes of torch's output in order.
    const fc = decodeArray(expected.outputs.fc!);
    const classes = topK(fc)[0]!
      .map(([c]) => c)
      .join(' .+ ');
    assert.match(r.stdout, new RegExp(`\\[0\\] ${classes}`));
  });

  it('without --weights and --input: seeded random weights and a sample input, both stated', async () => {
    const r = await run([fixture('mixed_dtypes.cnn.yaml'), '--seed', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /random weights \(seed 3\)/);
    assert.match(r.stdout, /input: deterministic sample \[1, 3, 15, 13\], uniform on \[-1, 1\) from seed 3/);
    const again = await run([fixture('mixed_dtypes.cnn.yaml'), '--seed', '3']);
    const top = (s: string) => s.split('\n').filter((l) => l.startsWith('  [0]'));
    assert.deepEqual(top(again.stdout), top(r.stdout));
  });

  it('accepts an input without its batch dimension of 1', async () => {
    const input = path.join(dir, 'chw.npy');
    writeFileSync(input, encodeNpy(tensor([3, 15, 13])));
    const r = await run([fixture('mixed_dtypes.cnn.yaml'), '--input', input]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('exits 1 and prints the diagnostics when the model has analysis errors', async () => {
    const model = path.join(dir, 'bad.cnn.yaml');
    writeFileSync(model, 'input: [1, 3, 4, 4]\nlayers:\n  - conv2d: {out_channels: 2, kernel_size: 7}\n');
    const r = await run([model]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.cnn\.yaml:3:\d+: error conv\.non-positive-output/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 with a message for usage, I/O and engine errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /no model file given/],
      [[fixture('resnet_small.cnn.yaml'), '--frobnicate'], /unknown option '--frobnicate'/],
      [[fixture('resnet_small.cnn.yaml'), '--layer'], /option --layer needs a value/],
      [[path.join(dir, 'nope.cnn.yaml')], /cannot read model file .*nope\.cnn\.yaml: ENOENT/],
      [[fixture('resnet_small.cnn.yaml'), '--layer', 'conv9'], /no layer named 'conv9'/],
      [
        [fixture('resnet_small.cnn.yaml'), '--input', fixture('mixed_dtypes.input.npy')],
        /input shape \[1, 3, 15, 13\] does not match the model input \[2, 3, 32, 32\]/,
      ],
      [
        [fixture('resnet_small.cnn.yaml'), '--weights', fixture('mixed_dtypes.safetensors')],
        /stem\.weight: missing from mixed_dtypes\.safetensors \(the model needs shape \[16, 3, 3, 3\]\)/,
      ],
      [
        [fixture('resnet_small.cnn.yaml'), '--weights', fixture('resnet_small.input.npy')],
        /resnet_small\.input\.npy: not a safetensors file/,
      ],
      [[fixture('resnet_small.cnn.yaml'), '--seed', '-1'], /--seed must be an integer/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('ranks top-5 by value, ties by index', () => {
    const t = tensor([1, 6], Float32Array.from([0.1, 0.5, 0.5, -1, 0.9, 0.2]));
    assert.deepEqual(
      topK(t)[0]!.map(([c]) => c),
      [4, 1, 2, 5, 0],
    );
  });
});
