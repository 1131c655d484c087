// `npm test`: sets the machine up (scripts/setup.mjs), builds once, then runs every tier in turn:
//   lint (ESLint, Prettier's check, and tsc once per platform: core, host, page, worker),
//   unit (mocha on the pure core, Node), grammar (TextMate grammar tests),
//   integration (the extension in a real VS Code extension host: code-server + headless chromium),
//   ui (playwright in the real workbench: hovers, Problems panel, webview screenshots).
// The workbench's own set-up (Debian packages, code-server) comes after the unit and grammar tiers;
// when it cannot be done (not root), the run stops there with the command to run, and says which
// tiers did not run. No tier is ever skipped silently. Exit code: 0 only when every tier passed.
//
// Usage: node scripts/test.mjs   (the same as `npm test`)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError, installCodeServer, installDependencies, installPackages, buildWasmModule, root, run, step } from './setup.mjs';

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const bin = (name) => join(root, 'node_modules', '.bin', name);

const TIERS = ['lint', 'unit', 'grammar', 'integration', 'ui'];
const passed = [];

function finish(code, message) {
  const notRun = TIERS.filter((t) => !passed.includes(t));
  console.log(`\n${message}`);
  console.log(
    `tiers passed: ${passed.join(', ') || 'none'}${notRun.length ? `; not run or failed: ${notRun.join(', ')}` : ''} (${seconds()})`,
  );
  process.exit(code);
}

try {
  installDependencies();
  buildWasmModule();

  step('build (extension, CLI, webviews) and compile the tests, once');
  run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  rmSync(join(root, 'out'), { recursive: true, force: true, maxRetries: 5 });
  run(bin('tsc'), ['-p', 'tsconfig.test.json']);
  run(bin('tsc'), ['-p', join('test', 'integration', 'tsconfig.json')]);

  step('tier 1/5: lint (ESLint, Prettier) and typecheck (tsc per platform)');
  run('npm', ['run', '--silent', 'lint']);
  run('npm', ['run', '--silent', 'typecheck']);
  passed.push('lint');

  step('tier 2/5: unit tests (mocha, Node)');
  run(bin('mocha'), ['--config', '.mocharc.json']);
  passed.push('unit');

  step('tier 3/5: grammar tests');
  run('npm', ['run', '--silent', 'test:grammar']);
  passed.push('grammar');

  installPackages({ chromium: true });
  installCodeServer();

  step('tier 4/5: integration tests (the extension host of a real VS Code: code-server + chromium)');
  run(process.execPath, [join(root, 'out', 'test', 'integration', 'launch.js')]);
  passed.push('integration');

  step('tier 5/5: workbench UI tests (playwright + chromium)');
  run('npm', ['run', '--silent', 'test:ui:run']);
  passed.push('ui');
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  finish(1, `npm test: ${error.message}`);
}
finish(0, 'npm test: all tiers passed');
