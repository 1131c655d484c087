// `npm start`: try the extension by hand on examples/. Sets up what it needs first
// (scripts/setup.mjs: npm dependencies, the wasm module, and without `code` the Debian packages
// and code-server), then builds.
// - With a `code` binary on PATH: `code --extensionDevelopmentPath=. examples/`.
// - Otherwise: code-server on 127.0.0.1 with the extension loaded for development; prints the URL
//   to open in a browser. Ctrl-C stops it.
// Env: CONVLENS_PORT (default 8080), CONVLENS_CACHE (where code-server and its profile live).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError, run, setup, step } from './setup.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(repo, 'examples');

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const useCode = onPath('code');
try {
  setup({ workbench: !useCode });
  step('build (extension, CLI, webviews)');
  run(process.execPath, [join(repo, 'scripts', 'build.mjs')]);
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`
npm start: ${error.message}`);
  process.exit(1);
}

if (useCode) {
  step(`opening VS Code with the extension on ${examples}`);
  const child = spawn('code', [`--extensionDevelopmentPath=${repo}`, examples], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const cache = process.env.CONVLENS_CACHE ?? join(homedir(), '.cache', 'convlens');
  const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) {
    console.error(`npm start: code-server is missing at ${entry} after set-up.`);
    process.exit(1);
  }
  const port = Number(process.env.CONVLENS_PORT ?? 8080);
  step(`starting code-server on 127.0.0.1:${port}`);
  // A profile of its own that survives restarts (settings, open editors), apart from the tests'.
  const profile = join(cache, 'dev-profile');
  for (const dir of ['user-data', 'extensions', 'xdg-config', 'xdg-data']) mkdirSync(join(profile, dir), { recursive: true });
  const server = spawn(
    process.execPath,
    [
      entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--user-data-dir',
      join(profile, 'user-data'),
      '--extensions-dir',
      join(profile, 'extensions'),
    ],
    {
      detached: true, // own process group: its file watcher outlives it otherwise
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, XDG_CONFIG_HOME: join(profile, 'xdg-config'), XDG_DATA_HOME: join(profile, 'xdg-data') },
    },
  );
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let announced = false;
  server.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (!announced && /HTTP server listening/.test(chunk.toString())) {
      announced = true;
      const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${repo}`]]);
      const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)}&payload=${encodeURIComponent(payload)}`;
      console.log(`\nConvLens (development build) in code-server:\n  ${url}\nCtrl-C to stop.\n`);
    }
  });
  server.on('exit', (code) => {
    stop();
    process.exit(code ?? 0);
  });
}
