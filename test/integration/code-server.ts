// Runs a real VS Code workbench for tests: code-server (VS Code 1.100 with the normal Node
// extension host, served over HTTP) driven by Debian's headless chromium through playwright-core.
// Used by the integration launcher (`launch.ts`) and by the UI tests (`test/ui`). Node only; never
// loaded inside the extension host.
//
// Facts behind every flag here are in /work/shared/docs/vscode-testing.md.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where scripts/install-code-server.sh puts code-server. */
export function codeServerEntry(): string {
  const cache = process.env['CONVLENS_CACHE'] ?? path.join(os.homedir(), '.cache', 'convlens');
  return path.join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function isCodeServerInstalled(): boolean {
  return fs.existsSync(codeServerEntry());
}

/** Runs a command from the command palette, retried until it offers it (the extension host starts lazily). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await waitFor(
    `the command palette to offer "${title}"`,
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`);
      const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await entry.waitFor({ state: 'visible', timeout: 5000 });
      await page.keyboard.press('Enter');
      return true;
    },
    60000,
    500,
  );
}

/** Polls `probe` until it returns a value or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A scratch folder removed by `cleanup()` unless CONVLENS_KEEP_TMP=1. */
export class TempDirs {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-vscode-'));

  make(name: string): string {
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  cleanup(): void {
    if (process.env['CONVLENS_KEEP_TMP'] === '1') {
      console.log(`[launcher] kept temporary files in ${this.root}`);
      return;
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The folder the tests open: a copy of examples/ plus the test models, so tests that edit or
 * create files never touch the repository.
 */
export function makeTestWorkspace(dirs: TempDirs): string {
  const workspace = dirs.make('workspace');
  const examples = path.join(REPO_ROOT, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });
  const models = path.join(REPO_ROOT, 'test', 'integration', 'models');
  if (fs.existsSync(models)) fs.cpSync(models, path.join(workspace, 'test-models'), { recursive: true });
  return workspace;
}

export interface CodeServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Everything the server printed, for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  dirs: TempDirs;
  /** Extra environment for the server and therefore for the extension host. */
  env?: Record<string, string>;
  /** Print the server's output as it comes. */
  verbose?: boolean;
  startTimeoutMs?: number;
}

/**
 * Starts code-server on a free port of 127.0.0.1 in its own process group (its file watcher
 * outlives it otherwise) and waits until it answers /healthz.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server is not installed at ${entry}; run npm test (it installs it) or node scripts/setup.mjs --workbench`);
  }
  const { dirs } = options;
  const userData = dirs.make('user-data');
  const extensions = dirs.make('extensions');
  // Workbench settings for a quiet, predictable window.
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'security.workspace.trust.enabled': false,
        'update.mode': 'none',
        'window.commandCenter': false,
        'chat.commandCenter.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'editor.hover.delay': 100,
        'git.enabled': false,
        // The web workbench saves after a delay by default; tests revert their edits instead.
        'files.autoSave': 'off',
      },
      null,
      2,
    ),
  );
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      entry,
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
    ],
    {
      // detached = setsid(): the server leads a new process group that stop() kills as a whole.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: dirs.make('xdg-config'),
        XDG_DATA_HOME: dirs.make('xdg-data'),
        ...options.env,
      },
    },
  );
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output += text;
    if (options.verbose) process.stdout.write(`[code-server] ${text}`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  if (child.pid !== undefined) liveGroups.add(child.pid);
  child.on('exit', () => {
    exited = true;
  });

  const stop = async (): Promise<void> => {
    if (child.pid === undefined) return;
    killGroup(child.pid, 'SIGTERM');
    try {
      await waitFor('code-server to exit', () => (exited ? true : undefined), 5000);
    } catch {
      // Still alive: fall through to SIGKILL.
    }
    killGroup(child.pid, 'SIGKILL');
    liveGroups.delete(child.pid);
  };

  try {
    const timeout = options.startTimeoutMs ?? 60000;
    const port = await waitFor(
      'code-server to listen',
      () => {
        if (exited) throw new Error(`code-server exited early:\n${output}`);
        const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        return match ? Number(match[1]) : undefined;
      },
      timeout,
    );
    const origin = `http://127.0.0.1:${port}`;
    await waitFor('code-server /healthz', async () => ((await httpStatus(`${origin}/healthz`)) === 200 ? true : undefined), timeout);
    return { port, origin, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Process groups still running, killed if the launcher itself exits or is interrupted. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.setTimeout(2000, () => request.destroy(new Error('request timed out')));
  });
}

/** The workbench URL for a folder, optionally with the extension-development payload. */
export function workbenchUrl(server: CodeServer, folder: string, payload?: [string, string][]): string {
  const params = new URLSearchParams({ folder });
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${params.toString()}`;
}

/** The payload that loads the extension under development (and, optionally, a test suite). */
export function developmentPayload(server: CodeServer, extensionPath: string, testsPath?: string): [string, string][] {
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return payload;
}

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchChromium(dirs: TempDirs, viewport = { width: 1400, height: 900 }): Promise<Chromium> {
  // Loaded lazily: only the code-server path needs it.
  const { chromium } = await import('playwright-core');
  const executablePath = process.env['CONVLENS_CHROMIUM'] ?? '/usr/bin/chromium';
  const context = await chromium.launchPersistentContext(dirs.make('chromium-profile'), {
    executablePath,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    env: { ...process.env, XDG_CONFIG_HOME: dirs.make('chromium-xdg') } as Record<string, string>,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
    },
  };
}
