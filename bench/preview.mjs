// ResNet-50 (1×3×224×224, random weights) forward time inside the Preview Layer Outputs webview's
// Web Worker, in the real workbench: code-server 4.100.3 driven by Debian's headless chromium
// through playwright-core, as the UI tests do (test/ui/preview.ui.ts).
//
// Usage: npm run build && node bench/preview.mjs [--runs N] [--timeout SECONDS] [--verbose] [--trace FILE]
//        (npm run bench:preview runs the second step; it does not build)
//
// It copies test/fixtures/models/resnet50.cnn.yaml into a temporary workspace, opens it from the
// Explorer, runs "ConvLens: Preview Layer Outputs" and reads each run's figures from the webview's
// DOM (two iframes deep): the status line "Ran 175 layers in 612 ms (WebAssembly SIMD kernels)"
// and its tooltip "analysis …, input …, weights …, layers …", which the page writes from the
// worker's `done` message (webview/preview/app.ts). "layers" is the forward pass (`totalMs` in
// webview/preview/worker.ts). Run 1 is the one the command starts: it also draws the 25.6 M random
// parameters and packs them for the WebAssembly kernels, both inside "layers" (large weights are
// drawn on demand, when first packed; "weights" is the small ones). Runs 2..N
// are clicks on the page's Run button: the same model, the random weights from the worker's
// cache, packed weights reused. The page rounds its times (0.1 ms below 10 ms, 1 ms below 1 s,
// 10 ms above).
//
// A MutationObserver in the webview page records the status line each time #app's data-state
// becomes "rendered" (or "failed"), so every figure belongs to exactly one run; the script waits
// on that record with waitForFunction, never on a fixed delay. It also reports, from the webview
// page and from a worker started the way the page starts its engine worker (a blob: URL), whether
// `self.crossOriginIsolated` holds and whether `SharedArrayBuffer` exists (what a multi-worker
// pool sharing memory would need).
//
// --trace FILE records a Chromium trace of the warm runs (Perfetto / chrome://tracing) and prints,
// for each stretch of the engine worker's work, how long the renderer's main thread (workbench and
// webview page together), its compositor and viz were busy meanwhile: on two cores that time is
// taken from the worker. Traced runs are slower; compare their times only with each other.
//
// The launch code (code-server in its own process group, chromium's flags, temp folders) is
// test/integration/code-server.ts itself, compiled with esbuild at start-up into
// node_modules/.cache/convlens-bench/ (so its `playwright-core` import resolves) and removed at
// the end. code-server and chromium are closed in `finally`, on failure too.

import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = path.join(root, 'test', 'fixtures', 'models', 'resnet50.cnn.yaml');
const MODEL_NAME = path.basename(MODEL);

// ---- arguments ----------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { runs: 5, timeoutMs: 300000, verbose: false, trace: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) fail(`${arg} needs a positive number`);
      return v;
    };
    if (arg === '--runs') options.runs = Math.floor(value());
    else if (arg === '--timeout') options.timeoutMs = value() * 1000;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--trace') {
      options.trace = argv[++i];
      if (!options.trace) fail('--trace needs a file name');
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: node bench/preview.mjs [--runs N (default 5)] [--timeout SECONDS per run (default 300)] [--verbose] [--trace FILE.json]',
      );
      process.exit(0);
    } else fail(`unknown argument ${arg} (try --help)`);
  }
  if (options.runs < 1) fail('--runs must be at least 1');
  return options;
}

function fail(message) {
  console.error(`bench/preview.mjs: ${message}`);
  process.exit(2);
}

// ---- preconditions ------------------------------------------------------------------------------

/** The build the workbench loads; stops with what to run when it is missing. */
function checkBuild() {
  const files = ['dist/extension.js', 'dist/webview/preview.js', 'dist/webview/preview-worker.js'];
  const missing = files.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0) fail(`the build is missing (${missing.join(', ')}); run \`npm run build\` first`);
  if (!fs.existsSync(MODEL)) fail(`${path.relative(root, MODEL)} is missing`);
  // scripts/build-wasm.mjs embeds the module base64-encoded: "\0asm" starts with "AGFzbQ".
  const worker = fs.readFileSync(path.join(root, 'dist/webview/preview-worker.js'), 'latin1');
  if (!worker.includes('AGFzbQ')) {
    console.warn(
      'warning: dist/webview/preview-worker.js carries no WebAssembly module; the preview will run its TypeScript kernels (npm run build needs clang and lld)',
    );
  }
  // A build older than the sources measures old code: say so (others may be editing the engine).
  const built = Math.min(...files.map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  const newer = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|c|css)$/.test(entry.name) && fs.statSync(p).mtimeMs > built) newer.push(path.relative(root, p));
    }
  };
  for (const dir of ['src', 'webview']) walk(path.join(root, dir));
  if (newer.length > 0) {
    console.warn(
      `warning: ${newer.length} source file(s) are newer than dist/ (${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ', …' : ''}); this measures the last build; run \`npm run build\` to measure them`,
    );
  }
}

function chromiumVersion() {
  try {
    return (
      /([\d.]+)/.exec(
        execFileSync(process.env.CONVLENS_CHROMIUM ?? '/usr/bin/chromium', ['--version'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      )?.[1] ?? '?'
    );
  } catch {
    return '?';
  }
}

function codeServerVersion() {
  const cache = process.env.CONVLENS_CACHE ?? path.join(process.env.HOME ?? '', '.cache', 'convlens');
  try {
    return JSON.parse(fs.readFileSync(path.join(cache, 'code-server', 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** test/integration/code-server.ts, compiled to CommonJS next to node_modules. */
async function loadLauncher() {
  const dir = path.join(root, 'node_modules', '.cache', 'convlens-bench');
  fs.mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, `code-server-${process.pid}.cjs`);
  await esbuild.build({
    entryPoints: [path.join(root, 'test', 'integration', 'code-server.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  try {
    return createRequire(import.meta.url)(outfile);
  } finally {
    fs.rmSync(outfile, { force: true });
    try {
      fs.rmdirSync(dir); // only when no other run is using it
    } catch {
      // not empty
    }
  }
}

// ---- driving the workbench (as test/ui/preview.ui.ts does) --------------------------------------

async function openFromExplorer(page, name) {
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
  await row.waitFor({ state: 'visible', timeout: 60000 });
  await row.click();
  await page.locator(`.tab[aria-label^="${name}"]`).first().waitFor({ state: 'visible', timeout: 30000 });
}

/** The frame holding the preview page (#app), two iframes below the workbench. */
async function previewFrame(page, waitFor) {
  return waitFor(
    'the preview webview page (#app) to load',
    async () => {
      for (const frame of page.frames()) {
        const found = await frame.evaluate(() => document.getElementById('app') !== null).catch(() => false);
        if (found) return frame;
      }
      return undefined;
    },
    120000,
    250,
  );
}

/**
 * Records, in the page, the status line and its tooltip at every change of #app's data-state to
 * "rendered" or "failed" (the page sets the status before it draws the first view and reports).
 */
async function installRecorder(frame) {
  await frame.evaluate(() => {
    if (window.__convlensBench) return;
    const app = document.getElementById('app');
    const record = { runs: [], started: 0 };
    window.__convlensBench = record;
    const capture = () => {
      const state = app.dataset.state;
      if (state === 'running') {
        record.started++;
        record.runningAt = performance.now();
      }
      if (state !== 'rendered' && state !== 'failed') return;
      const status = document.querySelector('.run-status .status');
      // The layer list's own per-layer times (the worker's onLayer), summed by kind.
      const byKind = {};
      for (const item of document.querySelectorAll('li.layer')) {
        const text = item.querySelector('.time')?.textContent ?? '';
        const match = /^([\d.]+) (ms|s)$/.exec(text);
        if (!match) continue;
        const kind = item.querySelector('.layer-kind')?.textContent ?? '?';
        byKind[kind] = (byKind[kind] ?? 0) + Number(match[1]) * (match[2] === 's' ? 1000 : 1);
      }
      record.runs.push({
        byKind,
        state,
        status: status?.textContent ?? '',
        detail: status?.getAttribute('title') ?? '',
        error: document.querySelector('.view .error')?.textContent ?? null,
        at: performance.now(),
        // From the run's start (data-state "running") to its first view drawn: what the user waits.
        shownMs: record.runningAt === undefined ? undefined : performance.now() - record.runningAt,
      });
    };
    new MutationObserver(capture).observe(app, { attributes: true, attributeFilter: ['data-state'] });
    // The first run may have ended before the observer existed.
    if (app.dataset.state === 'rendered' || app.dataset.state === 'failed') capture();
  });
}

/** Waits until the page has recorded `count` finished runs and returns the last one. */
async function waitForRun(frame, count, timeoutMs, what) {
  try {
    await frame.waitForFunction((n) => (window.__convlensBench?.runs.length ?? 0) >= n, count, { polling: 100, timeout: timeoutMs });
  } catch (error) {
    const state = await frame
      .evaluate(() => `${document.getElementById('app')?.dataset.state} / ${document.querySelector('.run-status .status')?.textContent}`)
      .catch(() => '?');
    throw new Error(`${what} did not finish within ${timeoutMs / 1000} s (page state / status: ${state}): ${error.message}`, {
      cause: error,
    });
  }
  const runs = await frame.evaluate(() => window.__convlensBench.runs);
  const last = runs[runs.length - 1];
  if (last.state === 'failed') throw new Error(`${what} failed in the preview: ${last.error ?? last.status}`);
  return parseRun(last);
}

function toMs(text) {
  const match = /^([\d.]+) (ms|s)$/.exec(text.trim());
  if (!match) throw new Error(`cannot read a time from "${text}"`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

function parseRun(run) {
  const status = /^Ran (\d+) layers in ([\d.]+ m?s) \(([^)]*)\)/.exec(run.status);
  const detail = /analysis ([\d.]+ m?s), input ([\d.]+ m?s), weights ([\d.]+ m?s), layers ([\d.]+ m?s)/.exec(run.detail);
  if (!status || !detail) throw new Error(`unexpected status line "${run.status}" / tooltip "${run.detail}"`);
  return {
    layerCount: Number(status[1]),
    backend: status[3],
    analysis: toMs(detail[1]),
    input: toMs(detail[2]),
    weights: toMs(detail[3]),
    layers: toMs(detail[4]),
    status: run.status,
    byKind: run.byKind,
    shownMs: run.shownMs,
    layerSum: Object.values(run.byKind).reduce((a, b) => a + b, 0),
  };
}

/** crossOriginIsolated and SharedArrayBuffer in the page, its engine worker, and a probe worker. */
async function isolation(page, frame, yields) {
  const inPage = await frame.evaluate(() => ({
    crossOriginIsolated: self.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer,
    origin: self.origin,
  }));
  // A worker started like the engine's (blob: URL from this page): it inherits the page's
  // isolation. It also times `yields` awaited setTimeout(0) calls, what runModelAsync does
  // before each layer, to show what the yields alone cost in this browser.
  const probe = await frame.evaluate(
    (n) =>
      new Promise((resolve) => {
        const source = `(async () => {
          const t0 = performance.now();
          for (let i = 0; i < ${n}; i++) await new Promise((r) => setTimeout(r, 0));
          postMessage({ crossOriginIsolated: self.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer, yieldsMs: performance.now() - t0 });
        })();`;
        const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        const worker = new Worker(url);
        const done = (value) => {
          worker.terminate();
          URL.revokeObjectURL(url);
          resolve(value);
        };
        worker.onmessage = (event) => done(event.data);
        worker.onerror = (event) => done({ error: event.message || 'the probe worker failed to start' });
      }),
    yields,
  );
  // The engine worker itself, when playwright sees it.
  let engine;
  for (const worker of page.workers()) {
    const value = await worker
      .evaluate(() => ({ name: self.name, crossOriginIsolated: self.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer }))
      .catch(() => undefined);
    if (value?.name === 'convlens-preview-engine') engine = value;
  }
  return { inPage, probe, engine };
}

// ---- figures ------------------------------------------------------------------------------------

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

const loads = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function printReport({ runs, loadBefore, loadAfter, browser, server, iso, options }) {
  const first = runs[0];
  const warm = runs.slice(1);
  console.log('');
  console.log(
    `ResNet-50, 1×3×224×224, random weights, in the Preview Layer Outputs webview's worker (${first.layerCount} layers, ${first.backend})`,
  );
  console.log(`${browser}; code-server ${server ?? '?'}; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); ${new Date().toISOString()}`);
  console.log(`load average (1/5/15 min): before ${loadBefore}, after ${loadAfter}`);
  console.log('');
  const rows = [['run', 'analysis', 'input', 'weights', 'layers (forward)', 'Σ per-layer times', 'start → first view drawn']];
  runs.forEach((r, i) =>
    rows.push([
      i === 0 ? '1 (first)' : String(i + 1),
      fmt(r.analysis),
      fmt(r.input),
      fmt(r.weights),
      fmt(r.layers),
      fmt(r.layerSum),
      r.shownMs === undefined ? '—' : fmt(r.shownMs),
    ]),
  );
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('   '));
  }
  console.log('');
  console.log(
    `forward, first run: ${fmt(first.layers)} (weights phase ${fmt(first.weights)}; drawing and packing the large weights are inside the forward)`,
  );
  if (warm.length > 0) {
    const f = warm.map((r) => r.layers);
    console.log(
      `forward, warm runs (${warm.length}, Run button): median ${fmt(median(f))}, min ${fmt(Math.min(...f))}, max ${fmt(Math.max(...f))}`,
    );
    const shown = warm.map((r) => r.shownMs).filter((v) => v !== undefined);
    if (shown.length > 0)
      console.log(
        `warm runs from the click to the first view drawn (analysis, input, forward, statistics, drawing): median ${fmt(median(shown))}, min ${fmt(Math.min(...shown))}, max ${fmt(Math.max(...shown))}`,
      );
    const phase = (key) => fmt(median(warm.map((r) => r[key])));
    console.log(`warm phases, medians: analysis ${phase('analysis')}, input ${phase('input')}, weights ${phase('weights')}`);
    const kinds = Object.keys(warm[0].byKind).sort((a, b) => warm[0].byKind[b] - warm[0].byKind[a]);
    console.log(
      `warm per-layer times by kind, medians: ${kinds.map((k) => `${k} ${fmt(median(warm.map((r) => r.byKind[k] ?? 0)))}`).join(', ')}`,
    );
    console.log(
      `warm forward minus Σ per-layer times (between layers: a yield to the worker's event loop at most every 16 ms, progress messages after 500 ms, then at most every 250 ms), median: ${fmt(median(warm.map((r) => r.layers - r.layerSum)))}`,
    );
  } else {
    console.log(`no warm runs (--runs ${options.runs})`);
  }
  const show = (v) =>
    v === undefined
      ? 'not visible to playwright'
      : v.error
        ? `error: ${v.error}`
        : `crossOriginIsolated ${v.crossOriginIsolated}, typeof SharedArrayBuffer '${v.sharedArrayBuffer}'`;
  console.log('');
  console.log(
    `webview page (${iso.inPage.origin}): crossOriginIsolated ${iso.inPage.crossOriginIsolated}, typeof SharedArrayBuffer '${iso.inPage.sharedArrayBuffer}'`,
  );
  console.log(`engine worker: ${show(iso.engine)}`);
  console.log(`probe worker (blob:, from the webview page): ${show(iso.probe)}`);
  if (iso.probe.yieldsMs !== undefined)
    console.log(`${first.layerCount} awaited setTimeout(0) in that worker, nothing else: ${fmt(iso.probe.yieldsMs)}`);
}

/**
 * From a Chromium trace of the warm runs: each stretch of the engine worker's activity (analysis,
 * input, weights and the forward pass, then the run's statistics) and how busy the renderer's
 * other threads were meanwhile. The workbench and the webview page share that renderer's main
 * thread, and on two cores whatever runs there runs at the worker's expense.
 */
function printTrace(events) {
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined);
  const on = (thread, name) => complete.filter((e) => threads.get(`${e.pid}:${e.tid}`) === thread && e.name === name);
  const workerTasks = on('DedicatedWorker thread', 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  const stretches = [];
  for (const e of workerTasks) {
    const last = stretches[stretches.length - 1];
    if (last && e.ts - last.end < 5000) last.end = Math.max(last.end, e.ts + e.dur);
    else stretches.push({ start: e.ts, end: e.ts + e.dur });
  }
  const overlap = (list, { start, end }) =>
    list.reduce((sum, e) => sum + Math.max(0, Math.min(end, e.ts + e.dur) - Math.max(start, e.ts)), 0) / 1000;
  const mainTasks = on('CrRendererMain', 'ThreadControllerImpl::RunTask');
  const frames = on('CrRendererMain', 'ProxyMain::BeginMainFrame');
  const compositor = on('Compositor', 'ThreadControllerImpl::RunTask');
  const viz = on('VizCompositorThread', 'ThreadControllerImpl::RunTask');
  console.log('engine worker busy stretches over 200 ms in the trace, and the other threads meanwhile:');
  for (const stretch of stretches.filter((s) => s.end - s.start > 200000)) {
    console.log(
      `  ${fmt((stretch.end - stretch.start) / 1000)}: renderer main thread ${fmt(overlap(mainTasks, stretch))} (frames ${fmt(overlap(frames, stretch))}), ` +
        `compositor ${fmt(overlap(compositor, stretch))}, viz ${fmt(overlap(viz, stretch))}`,
    );
  }
}

// ---- main ---------------------------------------------------------------------------------------

const options = parseArgs(process.argv.slice(2));
checkBuild();
const loadBefore = loads();
const launcher = await loadLauncher();
const {
  TempDirs,
  startCodeServer,
  launchChromium,
  workbenchUrl,
  developmentPayload,
  waitFor,
  runCommand,
  isCodeServerInstalled,
  codeServerEntry,
} = launcher;
if (!isCodeServerInstalled()) fail(`code-server is not installed at ${codeServerEntry()}; run \`bash scripts/install-code-server.sh\``);

const dirs = new TempDirs();
let server;
let chromium;
let exitCode = 0;
try {
  const workspace = dirs.make('workspace');
  fs.copyFileSync(MODEL, path.join(workspace, MODEL_NAME));
  console.log(`starting code-server ${codeServerVersion() ?? ''} and chromium (workspace ${workspace})…`);
  server = await startCodeServer({ dirs, verbose: options.verbose });
  chromium = await launchChromium(dirs, { width: 1400, height: 900 });
  const page = chromium.page;
  page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
  // The user agent carries only the major version (…/156.0.0.0); the browser knows the full one.
  const browser = `Chromium ${chromium.context.browser()?.version() ?? chromiumVersion()} (headless)`;

  await page.goto(workbenchUrl(server, workspace, developmentPayload(server, root)));
  await openFromExplorer(page, MODEL_NAME);
  await runCommand(page, 'ConvLens: Preview Layer Outputs');
  const frame = await previewFrame(page, waitFor);
  await installRecorder(frame);

  const runs = [];
  console.log('run 1 (draws and packs the random weights inside its forward)…');
  runs.push(await waitForRun(frame, 1, options.timeoutMs, 'run 1'));
  console.log(`  ${runs[0].status}`);
  const run = frame.locator('button[title="run the model again"]');
  // A Chromium trace of the warm runs (open it in Perfetto or chrome://tracing), summarised below.
  // Tracing slows every thread: its runs' times are not comparable with untraced ones.
  const tracer = options.trace ? await page.context().newCDPSession(page) : undefined;
  const traced = [];
  let traceComplete;
  if (tracer) {
    tracer.on('Tracing.dataCollected', (event) => traced.push(...event.value));
    traceComplete = new Promise((resolve) => tracer.once('Tracing.tracingComplete', resolve));
    await tracer.send('Tracing.start', {
      traceConfig: {
        includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'viz', 'toplevel', 'v8'],
      },
      transferMode: 'ReportEvents',
    });
  }
  for (let i = 2; i <= options.runs; i++) {
    // Let the page finish drawing the last run's views (heatmaps, detail requests to the worker)
    // before the next run, as a user's click would: wait for an idle period of its main thread.
    await frame.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(undefined), { timeout: 3000 })));
    await run.click();
    runs.push(await waitForRun(frame, i, options.timeoutMs, `run ${i}`));
    console.log(`run ${i}: ${runs[i - 1].status}`);
  }
  if (tracer) {
    await tracer.send('Tracing.end');
    await traceComplete;
    fs.writeFileSync(options.trace, JSON.stringify({ traceEvents: traced }));
    console.log(`trace of the warm runs: ${options.trace}`);
    printTrace(traced);
  }
  // Every run the page started since the recorder came must be one of ours (run 1 may have
  // started before it).
  const { started, finished } = await frame.evaluate(() => ({
    started: window.__convlensBench.started,
    finished: window.__convlensBench.runs.length,
  }));
  if (started > options.runs || finished > options.runs)
    console.warn(
      `warning: the page started ${started} and finished ${finished} runs for ${options.runs} requested; something else re-ran the model`,
    );
  const loadAfter = loads();
  const iso = await isolation(page, frame, runs[0].layerCount);
  printReport({ runs, loadBefore, loadAfter, browser, server: codeServerVersion(), iso, options });
} catch (error) {
  exitCode = 1;
  console.error(`bench/preview.mjs failed: ${error instanceof Error ? error.message : String(error)}`);
  if (server && options.verbose) console.error(`code-server output:\n${server.output()}`);
} finally {
  await chromium?.close();
  await server?.stop();
  dirs.cleanup();
}
process.exitCode = exitCode;
