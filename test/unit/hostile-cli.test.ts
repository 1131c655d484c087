// The CLI and the formats under hostile and unlucky inputs: `run --out` never writes onto an
// input (same path, symlink, hard link) and writes atomically; budgets are checked before
// anything is allocated; devices and oversized files are refused before reading; escape
// sequences in names never reach the terminal; --json has no forgeable bigint marker; overlapping
// safetensors offsets and too many categories are refused; long tables do not overflow the stack.

import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheckCommand } from '../../src/cli/check';
import { runEvalCommand } from '../../src/cli/eval';
import { runRunCommand } from '../../src/cli/run';
import type { AnalysisResult, AnalyzedLayer } from '../../src/core';
import { parseSafetensors } from '../../src/core';
import { MAX_EVAL_CATEGORIES, parseCocoEvaluationInputs } from '../../src/core/metrics/coco-format';
import { reportTable, stringifyJson, terminalSafe } from '../../src/core';

const ENGINE = path.join(__dirname, '../../../test/fixtures/engine');
const METRICS = path.join(__dirname, '../../../test/fixtures/metrics/basic.json');

async function capture(
  command: (argv: string[]) => Promise<number>,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await command(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** A raw ESC, BEL, CR or C1 control: what must never reach the terminal. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('CLI on hostile inputs', () => {
  let dir: string;
  let model: string;
  let weights: string;
  let input: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-hostile-'));
    for (const [from, to] of [
      ['resnet_small.cnn.yaml', 'model.cnn.yaml'],
      ['resnet_small.safetensors', 'w.safetensors'],
      ['resnet_small.input.npy', 'x.npy'],
    ]) {
      fs.copyFileSync(path.join(ENGINE, from!), path.join(dir, to!));
    }
    model = path.join(dir, 'model.cnn.yaml');
    weights = path.join(dir, 'w.safetensors');
    input = path.join(dir, 'x.npy');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('run --out onto the model, the weights, the input, a symlink or a hard link to one: refused, nothing changed', async () => {
    fs.symlinkSync(weights, path.join(dir, 'link-to-weights.npy'));
    fs.linkSync(input, path.join(dir, 'hardlink-to-input.npy'));
    const before = [model, weights, input].map((f) => fs.readFileSync(f));
    const outs: [string, RegExp][] = [
      [model, /is the model file/],
      [weights, /is the weights file/],
      [input, /is the input/],
      [path.join(dir, 'link-to-weights.npy'), /is the weights file/],
      [path.join(dir, 'hardlink-to-input.npy'), /is the input/],
    ];
    for (const [out, message] of outs) {
      const r = await capture(runRunCommand, [model, '--weights', weights, '--input', input, '--out', out]);
      assert.equal(r.code, 2, `${out}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /not overwriting an input/);
    }
    [model, weights, input].forEach((f, i) => assert.deepEqual(fs.readFileSync(f), before[i], `${f} changed`));
    assert.ok(fs.lstatSync(path.join(dir, 'link-to-weights.npy')).isSymbolicLink());
  });

  it('run --out to a new file writes it whole and leaves no temporary file', async () => {
    const out = path.join(dir, 'out', 'y.npy');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'old contents');
    const r = await capture(runRunCommand, [model, '--weights', weights, '--input', input, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['y.npy']);
    assert.equal(fs.readFileSync(out).subarray(1, 6).toString('latin1'), 'NUMPY');
  });

  it('a huge input is refused before it is allocated, naming the estimate and the budget', async () => {
    const file = path.join(dir, 'huge.cnn.yaml');
    fs.writeFileSync(file, 'input: [1, 3, 200000, 200000]\nlayers:\n  - relu: {}\n');
    const r = await capture(runRunCommand, [file]);
    assert.equal(r.code, 2, r.stderr);
    // 3·200000² float32 values = 480,000,000,000 bytes = 447.03 GiB, twice (input and relu).
    assert.match(r.stderr, /needs about 894\.07 GiB of activations .* over the 1\.00 GiB budget/);
  });

  it('random weights over the budget are refused before they are drawn (2·10^9 parameters = 7.45 GiB)', async () => {
    const file = path.join(dir, 'wide.cnn.yaml');
    fs.writeFileSync(file, 'input: [1, 100000]\nlayers:\n  - linear: {out_features: 20000, bias: false}\n');
    const r = await capture(runRunCommand, [file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /2000000000 parameters need 7\.45 GiB as float32 weights, over the 1\.00 GiB budget/);
  });

  it('a weights file larger than --memory-budget is not read', async () => {
    const big = path.join(dir, 'big.safetensors');
    fs.writeFileSync(big, new Uint8Array(2 * 2 ** 20 + 1));
    const r = await capture(runRunCommand, [model, '--weights', big, '--memory-budget', '2']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /weights file .*big\.safetensors is 2\.00 MiB, over the 2\.00 MiB ConvLens reads \(the --memory-budget/);
  });

  it('check /dev/zero and a directory: refused as not regular files, nothing read', async () => {
    for (const file of ['/dev/zero', dir]) {
      const r = await capture(runCheckCommand, [file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /is not a regular file/);
    }
  });

  it('a model file over the size limit: refused with its size and the limit', async () => {
    const file = path.join(dir, 'long.cnn.yaml');
    fs.writeFileSync(file, `# ${'x'.repeat(33 * 2 ** 20)}\n`);
    const r = await capture(runCheckCommand, [file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is 33\.00 MiB, over the 32\.00 MiB ConvLens reads/);
  });

  it('check and run agree on a model named model.yaml', async () => {
    const file = path.join(dir, 'model.yaml');
    fs.copyFileSync(model, file);
    assert.equal((await capture(runCheckCommand, [file])).code, 0);
    const r = await capture(runRunCommand, [file, '--weights', weights, '--input', input]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('escape sequences in names are printed escaped; the JSON name that looks like the old bigint marker stays a string', async () => {
    const file = path.join(dir, 'ctl.cnn.yaml');
    fs.writeFileSync(
      file,
      'name: "\\e]0;pwned\\a\\e[2J"\ninput: [1, 3, 8, 8]\nlayers:\n  - name: "evil\\e[2K\\r0 errors, 0 warnings"\n    relu: {}\n  - name: "@@convlens-bigint@@42"\n    relu: {}\n',
    );
    const table = await capture(runCheckCommand, [file]);
    assert.doesNotMatch(table.stdout, RAW_CONTROL);
    assert.match(table.stdout, /evil\\x1b\[2K\\r0 errors, 0 warnings {2}relu/);
    const json = await capture(runCheckCommand, [file, '--json']);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    const parsed = JSON.parse(json.stdout) as { files: { model: { name: string; layers: { name: unknown }[] } }[] };
    assert.equal(parsed.files[0]!.model.name, '\u001b]0;pwned\u0007\u001b[2J');
    assert.equal(parsed.files[0]!.model.layers[1]!.name, '@@convlens-bigint@@42');
  });

  it('eval reads a ground truth with a UTF-8 BOM, as the extension does', async () => {
    const gt = path.join(dir, 'gt-bom.json');
    const fixture = JSON.parse(fs.readFileSync(METRICS, 'utf8')) as { gt: unknown };
    fs.writeFileSync(gt, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(fixture.gt))]));
    const dets = path.join(dir, 'dets.json');
    fs.writeFileSync(dets, '[]');
    const r = await capture(runEvalCommand, [gt, dets]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('formats on hostile inputs', () => {
  it('stringifyJson: the same JSON as JSON.stringify for any JSON value, at any indent (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const text = stringifyJson(value, indent);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
        assert.doesNotMatch(text, RAW_CONTROL);
      }),
      { numRuns: 500 },
    );
  });

  it('stringifyJson: bigints are exact literals, and strings never turn into numbers (fast-check)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.string(), (n, s) => {
        assert.equal(
          stringifyJson({ n, s: `@@convlens-bigint@@${n}`, t: s }),
          `{"n":${n},"s":"@@convlens-bigint@@${n}","t":${JSON.stringify(s).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`,
        );
      }),
    );
  });

  it('terminalSafe: no control character survives, newlines and tabs stay (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const safe = terminalSafe(text);
        assert.doesNotMatch(safe, RAW_CONTROL);
        assert.equal(safe.split('\n').length, text.split('\n').length);
      }),
      { numRuns: 500 },
    );
  });

  it('a report table of 200,000 layers is printed (no Math.max spread)', () => {
    const layers = Array.from(
      { length: 200_000 },
      (_, i) => ({ name: `l${i}`, kind: 'relu', outputShape: [1, 3, 8, 8], params: 0n, macs: 0n }) as unknown as AnalyzedLayer,
    );
    const result = {
      diagnostics: [],
      model: { layout: 'NCHW', input: [1, 3, 8, 8], outputShape: [1, 3, 8, 8], layers, totalParams: 0n, totalMacs: 0n },
    } as unknown as AnalysisResult;
    const text = reportTable({ file: 'big.cnn.yaml', result });
    assert.equal(text.split('\n').length, 200_000 + 10);
    assert.match(text, /^l199999 {2}relu {2}\[1, 3, 8, 8\]/m);
  });

  it('safetensors: overlapping data_offsets are rejected, naming both tensors', () => {
    const header = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const bytes = new Uint8Array(8 + json.length + 12);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
    bytes.set(json, 8);
    assert.throws(() => parseSafetensors(bytes), /safetensors tensors a \[0, 8\] and b \[4, 12\] overlap/);
  });

  it(`eval: more than ${MAX_EVAL_CATEGORIES} categories is one input error, before any per-category array`, () => {
    const categories = Array.from({ length: MAX_EVAL_CATEGORIES + 1 }, (_, i) => ({ id: i + 1, name: `c${i}` }));
    const { dataset, issues } = parseCocoEvaluationInputs({ images: [{ id: 1 }], annotations: [], categories }, []);
    assert.equal(dataset, undefined);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, 'categories');
    assert.match(issues[0]!.message, /lists 5001 categories; ConvLens evaluates up to 5000/);
  });
});
