// The preview's forward pass without the workbench: the engine bundled for the browser, run in a
// Web Worker of a blank page in Debian's headless Chromium, as the preview runs it (every layer's
// output kept in module memory, random weights packed on the first run). Comparing this with
// bench/preview.mjs separates the engine's speed in Chromium's V8 from what code-server and the
// workbench add around it on the same machine.
//
// Usage: node bench/browser.mjs [--runs N] [--model resnet50|resnet18|...]   (needs /usr/bin/chromium)
//
// Prints each run's forward time and the conv2d layers' share, then the median and range of the
// runs after the first two (V8 moves WebAssembly functions to its optimizing tier over the first
// runs, and run 1 also draws and packs the weights).
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option('--runs', '8'));
const MODEL = option('--model', 'resnet50');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium, or set CHROMIUM`);
if (!existsSync(path.join(root, 'src/core/engine/wasm/gemm-wasm.generated.ts')))
  throw new Error('the wasm module is not built: npm run build:wasm');
const yaml = readFileSync(path.join(root, `test/fixtures/models/${MODEL}.cnn.yaml`), 'utf8');

// The worker's code: analyze, resolve random weights as the preview does (made on demand), run.
const bundle = await esbuild.build({
  stdin: {
    contents: `
      import { analyzeYaml } from './src/core/index';
      import { paramTensorsOf } from './src/core/kinds';
      import { runModel } from './src/core/run/runner';
      import { lazyParameter } from './src/core/run/weights';
      self.onmessage = ({ data: { yaml, runs } }) => {
        const model = analyzeYaml(yaml).model;
        const tensors = new Map();
        for (const layer of model.layers) {
          for (const spec of paramTensorsOf(layer)) tensors.set(layer.name + '.' + spec.name, lazyParameter(spec, 0, layer.name + '.' + spec.name));
        }
        const input = new Float32Array(model.input.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i));
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          const result = runModel(model, input, { kind: 'tensors', tensors }, { keep: 'all', outputs: 'in-place' });
          const ms = performance.now() - start;
          const conv = result.timings.filter((t) => t.kind === 'conv2d').reduce((s, t) => s + t.ms, 0);
          result.release();
          self.postMessage({ ms, conv, backend: result.backend, layers: model.layers.length });
        }
        self.postMessage({ done: true });
      };`,
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'browser-bench-worker.ts',
  },
  bundle: true,
  platform: 'browser',
  format: 'iife',
  write: false,
  logLevel: 'warning',
  alias: { yaml: path.join(root, 'node_modules/yaml/browser/index.js') },
});
const workerSource = bundle.outputFiles[0].text;

const loadBefore = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>ConvLens engine bench</title>');
  const version = browser.version();
  const runs = await page.evaluate(
    ({ source, yaml, runs }) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        const out = [];
        worker.onerror = (e) => reject(new Error(e.message));
        worker.onmessage = ({ data }) => (data.done ? resolve(out) : out.push(data));
        worker.postMessage({ yaml, runs });
      }),
    { source: workerSource, yaml, runs: RUNS },
  );
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  console.log(
    `${MODEL} (${runs[0].layers} layers, every output kept), engine in a Web Worker of headless Chromium ${version}, backend ${runs[0].backend}`,
  );
  console.log(
    `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); load average before ${loadBefore}, after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  runs.forEach((r, i) =>
    console.log(`run ${i + 1}: forward ${fmt(r.ms)}, conv2d ${fmt(r.conv)}${i === 0 ? ' (draws and packs the weights)' : ''}`),
  );
  const warm = runs
    .slice(2)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  if (warm.length > 0)
    console.log(
      `runs 3..${runs.length}: median ${fmt(warm[Math.floor((warm.length - 1) / 2)])}, min ${fmt(warm[0])}, max ${fmt(warm[warm.length - 1])}`,
    );
} finally {
  await browser.close();
}
