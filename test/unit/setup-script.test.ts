// scripts/setup.mjs, the set-up `npm test` and `npm start` do: the checks that decide what is
// missing, and the one message a user who is not root gets. Run in a child Node (the script is
// an ES module of the repository, not part of the compiled core).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SETUP = join(ROOT, 'scripts', 'setup.mjs');

/** Runs `body` in a module that imported setup.mjs as `setup`; returns stdout, stderr, status. */
function withSetup(body: string, env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const script = `import * as setup from ${JSON.stringify(SETUP)};\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('scripts/setup.mjs', () => {
  it('names a Chromium that is not there as missing, and stops with the exact apt-get command when not root', () => {
    const r = withSetup(
      `try { setup.installPackages({ chromium: true, root: false }); console.log('no error'); }
       catch (e) { console.log(e instanceof setup.SetupError ? 'SetupError' : 'other'); console.log(e.message); }`,
      { CONVLENS_CHROMIUM: '/nonexistent/chromium' },
    );
    assert.equal(r.status, 0, r.stderr);
    const [kind, ...message] = r.stdout.trim().split('\n');
    assert.equal(kind, 'SetupError');
    const text = message.join('\n');
    assert.match(text, /^Debian packages missing: chromium\b/);
    assert.match(text, /sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium\b[^']*'/);
    assert.match(text, /integration and workbench test tiers/);
    assert.match(text, /CONVLENS_CHROMIUM/);
  });

  it('does not ask for chromium when only code-server is needed (npm start)', () => {
    const r = withSetup(`console.log(JSON.stringify(setup.missingPackages({ chromium: false })));`, {
      CONVLENS_CHROMIUM: '/nonexistent/chromium',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!JSON.parse(r.stdout).includes('chromium'));
  });

  it('finds node_modules in step with package-lock.json after npm ci (the test run itself is the proof)', () => {
    const r = withSetup(`console.log(JSON.stringify(setup.dependenciesStale() ?? null));`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), null);
  });
});
