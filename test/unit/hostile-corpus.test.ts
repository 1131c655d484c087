// The hostile corpus (test/fixtures/hostile): every file, committed or generated, through
// `convlens check --json` in process, with the exit status, error codes, message fragments and
// exact parameter count it must give (expected.json and generate.ts). Nothing crashes, nothing
// hangs, and no message says "internal error".

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheckCommand } from '../../src/cli/check';
import type { CorpusExpectation } from '../fixtures/hostile/expectation';
import { generatedCases } from '../fixtures/hostile/generate';

const CORPUS = path.join(__dirname, '../../../test/fixtures/hostile');

interface JsonReport {
  files: { model?: { layers: { params: number | string }[] }; diagnostics: { severity: string; code: string; message: string }[] }[];
}

async function checkJson(file: string): Promise<{ code: number; report?: JsonReport; stderr: string; raw: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await runCheckCommand([file, '--json']);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { code, report: stdout ? (JSON.parse(stdout) as JsonReport) : undefined, stderr, raw: stdout };
}

async function expectResult(file: string, expected: CorpusExpectation): Promise<void> {
  const r = await checkJson(file);
  const name = path.basename(file);
  assert.equal(r.code, expected.exit, `${name}: exit ${r.code}\n${r.stderr}`);
  const diagnostics = r.report!.files[0]!.diagnostics;
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
    expected.errors,
    `${name}: ${diagnostics.map((d) => d.message.slice(0, 200)).join('\n')}`,
  );
  for (const fragment of expected.messages)
    assert.ok(
      diagnostics.some((d) => d.message.includes(fragment)),
      `${name}: no message with ${fragment}`,
    );
  assert.ok(!/internal error/i.test(r.stderr + r.raw), name);
  if (expected.params !== undefined) {
    // The exact integer, read from the JSON text (JSON.parse would round past 2^53).
    assert.equal(String(r.report!.files[0]!.model?.layers[0]?.params), expected.params, name);
  }
}

describe('hostile corpus', () => {
  const expectations = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expected.json'), 'utf8')) as Record<string, CorpusExpectation>;

  it('every committed file has an expectation and every expectation a file', () => {
    const files = fs
      .readdirSync(CORPUS)
      .filter((f) => /\.cnn\.(ya?ml|ts)$/.test(f))
      .sort();
    assert.deepEqual(files, Object.keys(expectations).sort());
  });

  for (const [file, expected] of Object.entries(
    JSON.parse(fs.readFileSync(path.join(__dirname, '../../../test/fixtures/hostile/expected.json'), 'utf8')) as Record<
      string,
      CorpusExpectation
    >,
  )) {
    it(`${file}: exit ${expected.exit}${expected.errors.length ? `, ${[...new Set(expected.errors)].join(', ')}` : ''}`, async () => {
      await expectResult(path.join(CORPUS, file), expected);
    });
  }

  describe('generated (test/fixtures/hostile/generate.ts)', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-corpus-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const c of generatedCases()) {
      it(`${c.file} (${(c.text.length / 1024).toFixed(0)} KB): exit ${c.exit}${c.errors.length ? `, ${[...new Set(c.errors)].join(', ')}` : ''}`, async () => {
        const file = path.join(dir, c.file);
        fs.writeFileSync(file, c.text);
        await expectResult(file, c);
      });
    }
  });
});
