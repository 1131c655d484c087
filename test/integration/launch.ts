// Runs the integration suite (test/integration/index.ts → every *.test.js) in a real VS Code and
// exits with its result. Picks its launcher:
//   CONVLENS_TEST_LAUNCHER=code-server  code-server + headless chromium (must be installed:
//                                       node scripts/setup.mjs --workbench --chromium)
//   CONVLENS_TEST_LAUNCHER=electron     @vscode/test-electron (downloads VS Code: needs internet)
//   unset                               code-server when installed, else electron
// Other env: CONVLENS_TEST_GREP (mocha grep, applied in the host), CONVLENS_TEST_TIMEOUT (ms,
// whole run, default 300000), CONVLENS_TEST_VERBOSE=1 (server output too), CONVLENS_KEEP_TMP=1,
// CONVLENS_TEST_VSIX=path.vsix (test the packaged extension instead of the repository).
//
// Both launchers open a temporary copy of examples/ (plus test/integration/models as
// test-models/), so tests that edit files never touch the repository.

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { format, inspect } from 'node:util';
import {
  REPO_ROOT,
  TempDirs,
  developmentPayload,
  isCodeServerInstalled,
  launchChromium,
  makeTestWorkspace,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
  type Chromium,
} from './code-server';

type Launcher = 'code-server' | 'electron';

const TESTS_PATH = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index');

function pickLauncher(): Launcher {
  const forced = process.env['CONVLENS_TEST_LAUNCHER'];
  if (forced === 'code-server' || forced === 'electron') return forced;
  if (forced) throw new Error(`CONVLENS_TEST_LAUNCHER must be 'code-server' or 'electron', not '${forced}'`);
  return isCodeServerInstalled() ? 'code-server' : 'electron';
}

function hostEnv(): Record<string, string> {
  const env: Record<string, string> = { CONVLENS_INTEGRATION_TEST: '1' };
  const grep = process.env['CONVLENS_TEST_GREP'];
  if (grep) env['CONVLENS_TEST_GREP'] = grep;
  return env;
}

/** The extension under test: the repository, or the contents of a packaged .vsix. */
function extensionUnderTest(dirs: TempDirs): string {
  const vsix = process.env['CONVLENS_TEST_VSIX'];
  if (!vsix) return REPO_ROOT;
  const target = dirs.make('vsix');
  // A .vsix is a zip; Python's zipfile is on every machine that can build code-server.
  execFileSync('python3', ['-m', 'zipfile', '-e', path.resolve(vsix), target]);
  console.log(`[launcher] testing the packaged extension ${vsix}`);
  return path.join(target, 'extension');
}

async function runWithElectron(extensionPath: string, workspace: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    return await runTests({
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: TESTS_PATH,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: hostEnv(),
    });
  } catch (error) {
    console.error(`[launcher] test-electron failed: ${String(error)}`);
    return 1;
  }
}

async function runWithCodeServer(dirs: TempDirs, extensionPath: string, workspace: string, timeoutMs: number): Promise<number> {
  const verbose = process.env['CONVLENS_TEST_VERBOSE'] === '1';
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  try {
    const started = Date.now();
    server = await startCodeServer({ dirs, env: hostEnv(), verbose });
    console.log(`[launcher] code-server listening on ${server.origin} after ${Date.now() - started} ms`);
    chromium = await launchChromium(dirs);
    const { page } = chromium;
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      resolveExit = resolve;
    });
    // The workbench calls these (window.codeAutomationLog / codeAutomationExit) when it runs
    // extension tests: the log carries the extension host's output, exit the suite's result.
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
      const text = formatWorkbenchLog(message);
      if (verbose || !isWorkbenchNoise(text)) console.log(level === 'info' ? text : `[${level}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
      if (code !== 0 && logs) {
        for (const log of logs) {
          if (/exthost|remoteagent|extension/i.test(log.relativePath)) {
            console.log(`[launcher] ---- ${log.relativePath} ----\n${log.contents}`);
          }
        }
      }
      resolveExit(code);
    });
    // The same messages reach the page console, less readable; only shown when verbose.
    if (verbose) page.on('console', (message) => console.log(`[page console] ${message.text()}`));
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));

    const url = workbenchUrl(server, workspace, developmentPayload(server, extensionPath, TESTS_PATH));
    await page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[launcher] the suite did not finish within ${timeoutMs} ms`);
        resolve(1);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    if (timer) clearTimeout(timer);
    console.log(`[launcher] suite exited with code ${code} after ${Date.now() - started} ms (server start included)`);
    if (code !== 0 && !verbose) console.log(`[launcher] ---- code-server output ----\n${server.output()}`);
    return code;
  } finally {
    await chromium?.close();
    await server?.stop();
  }
}

/**
 * The workbench's log, which in test mode carries the extension host's console (mocha's reporter
 * included), arrives as the JSON array of console arguments; format it as console.log would.
 */
function formatWorkbenchLog(message: unknown): string {
  let args: unknown = message;
  if (typeof message === 'string') {
    try {
      args = JSON.parse(message);
    } catch {
      return message;
    }
  }
  return Array.isArray(args) ? format(...(args as unknown[])) : inspect(args);
}

/** Workbench chatter that says nothing about the suite. */
function isWorkbenchNoise(text: string): boolean {
  return /open-vsx\.org|connection token|Creating a socket|builtin extensions cache|\[Service Worker\]|ChatSessionStore/.test(text);
}

async function main(): Promise<number> {
  const launcher = pickLauncher();
  const timeoutMs = Number(process.env['CONVLENS_TEST_TIMEOUT'] ?? 300000);
  console.log(`[launcher] using ${launcher}`);
  const dirs = new TempDirs();
  const cleanup = (): void => dirs.cleanup();
  try {
    const workspace = makeTestWorkspace(dirs);
    const extensionPath = extensionUnderTest(dirs);
    return launcher === 'code-server'
      ? await runWithCodeServer(dirs, extensionPath, workspace, timeoutMs)
      : await runWithElectron(extensionPath, workspace);
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[launcher] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
