// The set-up that `npm test` and `npm start` do for themselves on a fresh machine, in order,
// announcing each step, and doing nothing for a step that is already done:
//   1. npm dependencies: `npm ci` when node_modules is missing or does not match package-lock.json;
//   2. the WebAssembly module (scripts/build-wasm.mjs: the npm-pinned clang, cached by source hash);
//   3. Debian packages the workbench needs (chromium; ripgrep, libkrb5-dev, build-essential and
//      python3 for code-server's native modules), with apt-get when the user is root; otherwise it
//      stops with one message naming the exact command;
//   4. code-server into the cache folder (scripts/install-code-server.sh).
// Step 3 comes before 4 because code-server's install compiles native modules with those packages.
// Everything outside the checkout goes to $CONVLENS_CACHE (default ~/.cache/convlens), except the
// Debian packages. Only Node built-ins are imported here: this runs before node_modules exists.
//
// Usage (also importable): node scripts/setup.mjs [--workbench] [--chromium]
//   --workbench  also steps 3 and 4 (code-server and its packages)
//   --chromium   also chromium (the workbench tests drive it; `npm start` does not need it)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A failed or refused step: the message says what to do; the caller exits 1 with it. */
export class SetupError extends Error {}

export function step(message) {
  console.log(`\n▶ ${message}`);
}

/** Runs a command with inherited output; throws SetupError when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw new SetupError(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${[command, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
}

// --- 1. npm dependencies --------------------------------------------------------------------------
const LOCK = join(root, 'package-lock.json');
const STAMP = join(root, 'node_modules', '.convlens-lock-sha256');

function lockHash() {
  return createHash('sha256').update(readFileSync(LOCK)).digest('hex');
}

/** Why node_modules needs `npm ci`, or undefined when it matches package-lock.json. */
export function dependenciesStale() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === lockHash()) return undefined;
  // No stamp (installed by hand with npm install/ci): compare every locked package's version with
  // what is installed, as npm's own hidden lockfile would. Optional packages (other platforms'
  // binaries) may be absent.
  const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path.startsWith('node_modules/') || entry.link) continue;
    const manifest = join(root, path, 'package.json');
    if (!existsSync(manifest)) {
      if (entry.optional || entry.devOptional) continue;
      return `${path} is missing`;
    }
    const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
    if (entry.version && installed !== entry.version) return `${path} is ${installed}, package-lock.json says ${entry.version}`;
  }
  writeFileSync(STAMP, `${lockHash()}\n`);
  return undefined;
}

export function installDependencies() {
  const stale = dependenciesStale();
  if (!stale) {
    step('npm dependencies: node_modules matches package-lock.json');
    return;
  }
  step(`npm dependencies: ${stale}; running npm ci (about 30 s)`);
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, npm_config_yes: 'true' } });
  writeFileSync(STAMP, `${lockHash()}\n`);
}

// --- 2. the WebAssembly module --------------------------------------------------------------------
export function buildWasmModule() {
  step('WebAssembly module (scripts/build-wasm.mjs, compiled once per source change)');
  run(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')]);
}

// --- 3. Debian packages ---------------------------------------------------------------------------
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export const CHROMIUM = process.env.CONVLENS_CHROMIUM ?? '/usr/bin/chromium';

/** The Debian packages still missing, each with the check that found it missing. */
export function missingPackages({ chromium }) {
  const missing = [];
  if (chromium && !existsSync(CHROMIUM)) missing.push('chromium');
  if (!onPath('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  if (!onPath('make') || !onPath('g++')) missing.push('build-essential');
  if (!onPath('python3')) missing.push('python3');
  return missing;
}

/** `root`: whether apt-get may run here (a parameter so the refusal can be tested as root). */
export function installPackages({ chromium, root: asRoot = process.getuid?.() === 0 }) {
  const missing = missingPackages({ chromium });
  const what = chromium ? 'chromium, ripgrep, libkrb5-dev, build-essential, python3' : 'ripgrep, libkrb5-dev, build-essential, python3';
  if (missing.length === 0) {
    step(`Debian packages: ${what} are installed`);
    return;
  }
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!asRoot || !onPath('apt-get')) {
    throw new SetupError(
      `Debian packages missing: ${missing.join(', ')}.\n` +
        `They are needed by ${chromium ? 'the VS Code integration and workbench test tiers' : 'code-server'}, and installing them needs root. Run:\n` +
        `  sudo sh -c '${command}'\n` +
        'then run this command again.' +
        (chromium && missing.includes('chromium') ? ' (A Chromium elsewhere: set CONVLENS_CHROMIUM=/path/to/chromium.)' : ''),
    );
  }
  step(`Debian packages: installing ${missing.join(', ')} with apt-get (a minute or two)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // apt's progress (a line per unpacked package) goes nowhere; its errors still show.
  const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] };
  run('apt-get', ['update', '-qq'], quiet);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], quiet);
  const still = missingPackages({ chromium });
  if (still.length) throw new SetupError(`apt-get finished, but ${still.join(', ')} still look missing`);
}

// --- 4. code-server ---------------------------------------------------------------------------------
export function installCodeServer() {
  step('code-server (a real VS Code workbench) into the cache folder');
  run('bash', [join(root, 'scripts', 'install-code-server.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** All the steps a command needs, in order. */
export function setup({ workbench = false, chromium = false } = {}) {
  installDependencies();
  buildWasmModule();
  if (workbench) {
    installPackages({ chromium });
    installCodeServer();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    setup({ workbench: process.argv.includes('--workbench'), chromium: process.argv.includes('--chromium') });
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`\nsetup: ${error.message}`);
    process.exit(1);
  }
}
