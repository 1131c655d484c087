// `convlens run --repeat N [--json]`: the argument handling, the statistics (against hand-computed
// values) and the report's shape end to end. No assertion depends on how long anything took.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRepeat, repeatReport, spreadOf, formatRepeat } from '../../src/cli/repeat';
import { parseRunArgs, runRunCommand, UsageError } from '../../src/cli/run';
import { decodeArray, FIXTURES, type FixtureArray } from './engine-support.test';

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '',
    stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: await runRunCommand(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('convlens run --repeat', () => {
  it('spreadOf: median of an odd count is the middle value, of an even count the mean of the middle two; min and max', () => {
    assert.deepEqual(spreadOf([7]), { median: 7, min: 7, max: 7 });
    assert.deepEqual(spreadOf([30, 10, 20]), { median: 20, min: 10, max: 30 });
    assert.deepEqual(spreadOf([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 });
    assert.deepEqual(spreadOf([5, 5, 1, 9, 5]), { median: 5, min: 1, max: 9 });
    const samples = [3, 1, 2];
    spreadOf(samples);
    assert.deepEqual(samples, [3, 1, 2], 'the samples are not reordered');
    assert.throws(() => spreadOf([]), /no samples/);
  });

  it('repeatReport: the first run apart, the warm runs spread for wall clock and CPU separately', () => {
    const report = repeatReport({ wallMs: 900, cpuMs: 800 }, [
      { wallMs: 12, cpuMs: 10 },
      { wallMs: 30, cpuMs: 9 },
      { wallMs: 11, cpuMs: 14 },
      { wallMs: 20, cpuMs: 11 },
    ]);
    assert.deepEqual(report, {
      first_ms: 900,
      first_cpu_ms: 800,
      warm_runs: 4,
      warm_ms: { median: 16, min: 11, max: 30 },
      cpu_ms: { median: 10.5, min: 9, max: 14 },
    });
    assert.deepEqual(formatRepeat(report), [
      'first run: 900.0 ms wall, 800.0 ms CPU (weights prepared and packed)',
      'warm runs (4), wall: median 16.0 ms, min 11.0 ms, max 30.0 ms',
      'warm runs (4), CPU:  median 10.5 ms, min 9.0 ms, max 14.0 ms',
    ]);
  });

  it('parses --repeat and --json; refuses a missing, zero, negative, fractional or non-numeric count, quoting it', () => {
    const args = parseRunArgs(['m.cnn.yaml', '--repeat', '12', '--json']);
    assert.equal(args.repeat, 12);
    assert.equal(args.json, true);
    assert.equal(parseRunArgs(['m.cnn.yaml']).repeat, 0);
    assert.equal(parseRunArgs(['m.cnn.yaml']).json, false);
    assert.equal(parseRepeat('1'), 1);
    for (const bad of ['0', '-3', '2.5', 'ten', '', '1e3', '10001']) {
      const message = parseRepeat(bad);
      assert.equal(typeof message, 'string', `'${bad}' refused`);
      assert.ok((message as string).includes(`'${bad}'`), `the message quotes '${bad}': ${String(message)}`);
      assert.throws(() => parseRunArgs(['m.cnn.yaml', '--repeat', bad]), UsageError);
    }
    assert.throws(() => parseRunArgs(['m.cnn.yaml', '--repeat']), /--repeat needs a value/);
  });

  it('end to end: --json prints one object with the output summary and the timing fields; the output matches PyTorch', async () => {
    const model = path.join(FIXTURES, 'resnet_small.cnn.yaml');
    const argv = [
      model,
      '--weights',
      path.join(FIXTURES, 'resnet_small.safetensors'),
      '--input',
      path.join(FIXTURES, 'resnet_small.input.npy'),
      '--repeat',
      '3',
      '--json',
    ];
    const r = await capture(argv);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'one JSON line');
    const report = JSON.parse(lines[0]!) as Record<string, unknown> & {
      warm_ms: Record<string, number>;
      cpu_ms: Record<string, number>;
      shape: number[];
      min: number;
      max: number;
    };
    assert.equal(report.warm_runs, 3);
    for (const key of ['first_ms', 'first_cpu_ms']) assert.equal(typeof report[key], 'number', key);
    for (const spread of [report.warm_ms, report.cpu_ms]) {
      assert.deepEqual(Object.keys(spread).sort(), ['max', 'median', 'min']);
      assert.ok(spread.min! <= spread.median! && spread.median! <= spread.max!, JSON.stringify(spread));
    }
    // The reported output is torch's (the fixture), whichever run produced it.
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'resnet_small.expected.json'), 'utf8')) as {
      outputs: Record<string, FixtureArray>;
    };
    const fc = decodeArray(expected.outputs.fc!);
    assert.deepEqual(report.shape, fc.shape);
    const range = Math.max(...fc.data) - Math.min(...fc.data);
    assert.ok(Math.abs(report.min - Math.min(...fc.data)) <= 1e-4 * range);
    assert.ok(Math.abs(report.max - Math.max(...fc.data)) <= 1e-4 * range);
    // Without --repeat: the first run's times only.
    const once = await capture(argv.filter((a, i) => a !== '--repeat' && argv[i - 1] !== '--repeat'));
    assert.equal(once.code, 0, once.stderr);
    const single = JSON.parse(once.stdout) as Record<string, unknown>;
    assert.equal(typeof single.first_ms, 'number');
    assert.equal(single.warm_ms, undefined);
    assert.deepEqual(single.shape, fc.shape);
  });

  it('end to end: without --json the warm-run lines come after the usual output, and the output is that of a single run', async () => {
    const r = await capture([path.join(FIXTURES, 'mixed_dtypes.cnn.yaml'), '--repeat', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /random weights \(seed 0\)/);
    assert.match(r.stdout, /^first run: [\d.]+ (ms|s) wall, [\d.]+ (ms|s) CPU/m);
    assert.match(r.stdout, /^warm runs \(2\), wall: median [\d.]+ (ms|s), min [\d.]+ (ms|s), max [\d.]+ (ms|s)$/m);
    assert.match(r.stdout, /^warm runs \(2\), CPU: {2}median /m);
    // The same top-5 as a single run with the same seed: repeating changes nothing but the timing.
    const single = await capture([path.join(FIXTURES, 'mixed_dtypes.cnn.yaml')]);
    const top = (s: string) => s.split('\n').filter((l) => l.startsWith('  [0]'));
    assert.deepEqual(top(r.stdout), top(single.stdout));
  });
});
