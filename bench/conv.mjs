// Engine convolution throughput and ResNet-18 / ResNet-50 forward times, side by side with
// TensorFlow.js's CPU (plain JS) and WebAssembly (XNNPACK, SIMD) backends in the same process.
//
// Usage: npm run build:wasm && node bench/conv.mjs [--runs N] [--resnet-runs N] [--skip-resnet] [--tfjs-cpu-resnet50]
//          [--compare-clang /usr/bin/clang-14]
//
// Four contestants: the ConvLens engine with its TypeScript kernels ('ts' backend), the same
// engine with its WebAssembly SIMD kernels ('wasm' backend: weights packed once, then reused by
// every run, as in the preview), tfjs-backend-cpu and tfjs-backend-wasm (single-threaded in Node).
// The engine is bundled from src/ with esbuild into a temp file first. tfjs works in NHWC: inputs
// and weights are converted once, outside the timing. Each run is timed twice: wall clock and the
// process's CPU time (user + system, from process.cpuUsage); on a shared, oversubscribed machine
// the CPU time is the steadier figure, and every contestant is single-threaded here. Reported: the
// median of N runs after warm-up, the contestants interleaved in rounds. GFLOP/s count 2 FLOPs per
// multiply-add (the contract's convention). Each workload also checks that the outputs agree.
// tfjs-cpu takes about 30 s per ResNet-50 forward, so it sits that one out unless
// --tfjs-cpu-resnet50 is given. --compare-clang CLANG adds a fifth contestant: the same engine
// with the WebAssembly module compiled by that system clang (same flags, same sources) instead of
// the pinned @yowasp/clang, bundled separately, to compare compilers in one run.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 0) || 7;
const SKIP_RESNET = args.includes('--skip-resnet');
const TFJS_CPU_RESNET50 = args.includes('--tfjs-cpu-resnet50');
const RESNET_RUNS = Number(args[args.indexOf('--resnet-runs') + 1] ?? 0) || 3;
const ROUNDS = 3;
const COMPARE_CLANG = args.includes('--compare-clang') ? args[args.indexOf('--compare-clang') + 1] : undefined;

// --- the engine, bundled -------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'convlens-bench-'));
/** The engine bundled from src/; `generated` replaces the wasm module's generated file. */
async function bundleEngine(name, generated) {
  const outfile = path.join(dir, `${name}.js`);
  const plugins = generated
    ? [{ name: 'alternate-wasm', setup: (b) => b.onResolve({ filter: /gemm-wasm\.generated$/ }, () => ({ path: generated })) }]
    : [];
  await esbuild.build({
    stdin: {
      contents: `
        export { conv2dForward, conv2dForwardWasm } from './src/core/kinds/conv2d/kernel';
        export { gemmBlocked } from './src/core/engine/gemm';
        export { loadWasmGemm, wasmGemmUnavailableReason } from './src/core/engine/wasm/index';
        export { embeddedGemmWasm } from './src/core/engine/wasm/embedded';
        export { sharedPackedWeights } from './src/core/engine/wasm/packed-weights';
        export { runModel } from './src/core/run/runner';
        export { resolveWeights } from './src/core/run/weights';
        export { kernelFor } from './src/core/kinds/kernels';
        export { createRandom } from './src/core/engine/rng';
        export { analyzeYaml, computeWindowGeometry } from './src/core/index';
      `,
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-engine.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    alias: { yaml: path.join(root, 'node_modules/yaml/browser/index.js') },
    plugins,
  });
  return createRequire(import.meta.url)(outfile);
}
const engine = await bundleEngine('engine');
let alt;
if (COMPARE_CLANG) {
  const { buildWasm, generatedModule } = await import('../scripts/build-wasm.mjs');
  const build = await buildWasm({ clang: COMPARE_CLANG });
  const generated = path.join(dir, 'alt-gemm-wasm.generated.ts');
  writeFileSync(generated, generatedModule(build));
  alt = { engine: await bundleEngine('engine-alt', generated), compiler: build.compilerId, bytes: build.wasm.length };
  alt.gemm = alt.engine.loadWasmGemm();
  if (!alt.gemm) throw new Error(`the ${COMPARE_CLANG} module does not load: ${alt.engine.wasmGemmUnavailableReason()}`);
  alt.packs = alt.engine.sharedPackedWeights(alt.gemm);
}
rmSync(dir, { recursive: true, force: true });
const wasmGemm = engine.loadWasmGemm();
if (!wasmGemm) {
  console.error(`The engine's WebAssembly GEMM is unavailable: ${engine.wasmGemmUnavailableReason()}. Run \`npm run build:wasm\` first.`);
  process.exit(1);
}
const packs = engine.sharedPackedWeights(wasmGemm);

// --- tfjs: core + both backends ---------------------------------------------------------------
const requireFromRoot = createRequire(path.join(root, 'package.json'));
const [log, warn] = [console.log, console.warn];
console.log = console.warn = () => {}; // tfjs's "install tfjs-node" banner
const tf = requireFromRoot('@tensorflow/tfjs-core');
requireFromRoot('@tensorflow/tfjs-backend-cpu');
const wasm = requireFromRoot('@tensorflow/tfjs-backend-wasm');
// In Node the wasm backend reads its .wasm binaries from the file system: a plain directory path
// (with the trailing slash) works; a file:// URL does not.
wasm.setWasmPaths(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
await tf.setBackend('cpu');
tf.tensor([0]).dispose(); // the banner comes on the CPU backend's first use
await tf.setBackend('wasm');
[console.log, console.warn] = [log, warn];
const wasmSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const wasmThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');

// --- helpers ------------------------------------------------------------------------------------
function randomArray(n, seed) {
  const random = engine.createRandom(seed, 'bench');
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = 2 * random() - 1;
  return a;
}

/** NCHW → NHWC, OIHW → HWIO: the layout conversions tfjs needs, done once. */
function nchwToNhwc(a, [n, c, h, w]) {
  const out = new Float32Array(a.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = a[((b * c + ch) * h + y) * w + x];
  return out;
}
function oihwToHwio(a, [o, i, kh, kw]) {
  const out = new Float32Array(a.length);
  for (let oc = 0; oc < o; oc++) for (let ic = 0; ic < i; ic++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * i + ic) * o + oc] = a[((oc * i + ic) * kh + y) * kw + x];
  return out;
}

/** Wall-clock and CPU-time samples (ms) of `runs` calls after `warmup` untimed ones. */
async function sample(fn, runs, warmup) {
  for (let i = 0; i < warmup; i++) await fn();
  const out = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    out.push({ wall, cpu: (c.user + c.system) / 1000 });
  }
  return out;
}

/**
 * Times the implementations in ROUNDS rounds (ts, wasm, tfjs cpu, tfjs wasm, again and again) so
 * that a busy period on a shared machine hits all of them alike; medians over all samples.
 * `contestants[name]()` prepares one round (tfjs tensors live on the active backend) and returns
 * {run, dispose}; a contestant given as null sits the workload out.
 */
async function compare(contestants, runs, warmup) {
  const active = Object.entries(contestants).filter(([, prepare]) => prepare !== null);
  const samples = Object.fromEntries(active.map(([k]) => [k, []]));
  const perRound = Math.max(1, Math.ceil(runs / ROUNDS));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, prepare] of active) {
      const { run, dispose } = await prepare();
      samples[name].push(...(await sample(run, perRound, round === 0 ? warmup : 0)));
      dispose?.();
    }
  }
  const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { wall: median(v.map((t) => t.wall)), cpu: median(v.map((t) => t.cpu)), n: v.length }]));
}

function maxAbsDiff(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

// --- single convolutions --------------------------------------------------------------------------
const CONVS = [
  { label: 'conv 3×3, 64→64, 1×64×56×56, pad 1', x: [1, 64, 56, 56], w: [64, 64, 3, 3], stride: 1, pad: 1 },
  { label: 'stem 7×7/2, 3→64, 1×3×224×224, pad 3', x: [1, 3, 224, 224], w: [64, 3, 7, 7], stride: 2, pad: 3 },
];

const rows = [];
for (const c of CONVS) {
  const x = { shape: c.x, data: randomArray(c.x.reduce((a, b) => a * b), 1) };
  const w = { shape: c.w, data: randomArray(c.w.reduce((a, b) => a * b), 2) };
  const geometry = engine.computeWindowGeometry({ input: [c.x[2], c.x[3]], kernel: [c.w[2], c.w[3]], stride: [c.stride, c.stride], padding: [c.pad, c.pad], dilation: [1, 1] });
  const [oh, ow] = [geometry.h.output, geometry.w.output];
  const flops = 2 * c.w[0] * c.w[1] * c.w[2] * c.w[3] * oh * ow * c.x[0];
  const ours = {};
  const tfOut = {};
  const tfjs = (backend) => async () => {
    await tf.setBackend(backend);
    const tx = tf.tensor4d(nchwToNhwc(x.data, c.x), [c.x[0], c.x[2], c.x[3], c.x[1]]);
    const tw = tf.tensor4d(oihwToHwio(w.data, c.w), [c.w[2], c.w[3], c.w[1], c.w[0]]);
    const pad = [[0, 0], [c.pad, c.pad], [c.pad, c.pad], [0, 0]];
    return {
      run: async () => {
        const y = tf.conv2d(tx, tw, c.stride, pad);
        tfOut[backend] = await y.data();
        y.dispose();
      },
      dispose: () => (tx.dispose(), tw.dispose()),
    };
  };
  const times = await compare(
    {
      ts: () => ({ run: () => (ours.ts = engine.conv2dForward(x, w, undefined, { geometry, groups: 1 }, engine.gemmBlocked)) }),
      // The weights are packed on the warm-up call and reused, as in a model run.
      wasm: () => ({ run: () => (ours.wasm = engine.conv2dForwardWasm(x, w, undefined, { geometry, groups: 1 }, packs)) }),
      wasmAlt: alt ? () => ({ run: () => (ours.wasmAlt = alt.engine.conv2dForwardWasm(x, w, undefined, { geometry, groups: 1 }, alt.packs)) }) : null,
      tfjsCpu: tfjs('cpu'),
      tfjsWasm: tfjs('wasm'),
    },
    RUNS,
    2,
  );
  rows.push({ label: c.label, flops, ...times, check: agreement(ours, tfOut, (t) => nchwToNhwc(t.data, t.shape)) });
}

/** Max |Δ| of each engine backend's output against both tfjs backends. */
function agreement(ours, tfOut, toNhwc) {
  return Object.entries(ours)
    .map(([name, t]) => {
      const mine = toNhwc(t);
      return Object.entries(tfOut).map(([backend, theirs]) => `${name} vs tfjs-${backend} ${maxAbsDiff(mine, theirs).toExponential(1)}`).join(', ');
    })
    .join('; ');
}

// --- ResNet-18 and ResNet-50 -------------------------------------------------------------------
if (!SKIP_RESNET) {
  for (const model of ['resnet18', 'resnet50']) {
    const yaml = readFileSync(path.join(root, `test/fixtures/models/${model}.cnn.yaml`), 'utf8');
    const analysis = engine.analyzeYaml(yaml).model;
    const resolved = engine.resolveWeights(analysis.layers, { kind: 'random', seed: 0 });
    const tensors = new Map();
    for (const [layer, params] of resolved.byLayer) for (const [k, t] of Object.entries(params)) tensors.set(`${layer}.${k}`, t);
    const input = randomArray(analysis.input.reduce((a, b) => a * b), 3);
    const last = analysis.layers[analysis.layers.length - 1].name;
    const ours = {};
    const tfOut = {};
    const tfjs = (backend) => async () => {
      await tf.setBackend(backend);
      const net = tfjsNetwork(analysis, resolved.byLayer);
      const tx = tf.tensor4d(nchwToNhwc(input, analysis.input), [analysis.input[0], analysis.input[2], analysis.input[3], analysis.input[1]]);
      return {
        run: async () => {
          const y = tf.tidy(() => net(tx));
          tfOut[backend] = await y.data();
          y.dispose();
        },
        dispose: () => (tx.dispose(), net.dispose()),
      };
    };
    // The same tensors every run, so the wasm backend packs them on the warm-up run only. Only the
    // logits are kept, so the wasm backend fuses conv → batch norm → ReLU (the ts backend never does).
    const run = (backend, e = engine, name = backend) => () => ({ run: () => (ours[name] = e.runModel(analysis, input, { kind: 'tensors', tensors }, { keep: [last], backend }).outputs.get(last)) });
    const times = await compare(
      {
        ts: run('ts'),
        wasm: run('wasm'),
        wasmAlt: alt ? run('wasm', alt.engine, 'wasmAlt') : null,
        tfjsCpu: model === 'resnet50' && !TFJS_CPU_RESNET50 ? null : tfjs('cpu'),
        tfjsWasm: tfjs('wasm'),
      },
      RESNET_RUNS,
      // Two untimed runs: V8 moves WebAssembly functions to its optimizing tier over the first calls.
      2,
    );
    rows.push({
      label: `${model === 'resnet18' ? 'ResNet-18' : 'ResNet-50'} forward, 1×3×224×224 (${analysis.layers.length} layers)`,
      flops: 2 * Number(analysis.totalMacs),
      ...times,
      check: `logits: ${agreement(ours, tfOut, (t) => t.data)}`,
    });
  }
}

/** The same analyzed model as tfjs ops (NHWC), with the engine's weights. The ResNets' kinds only. */
function tfjsNetwork(analysis, byLayer) {
  const owned = [];
  const keep = (t) => (owned.push(t), t);
  const prepared = new Map();
  for (const layer of analysis.layers) {
    const p = byLayer.get(layer.name) ?? {};
    if (layer.kind === 'conv2d') {
      if (layer.attrs.groups !== 1) throw new Error('bench network: groups > 1 not mapped');
      prepared.set(layer.name, { w: keep(tf.tensor4d(oihwToHwio(p.weight.data, p.weight.shape), [p.weight.shape[2], p.weight.shape[3], p.weight.shape[1], p.weight.shape[0]])), b: p.bias ? keep(tf.tensor1d(p.bias.data)) : undefined });
    } else if (layer.kind === 'batchnorm2d') {
      prepared.set(layer.name, { mean: keep(tf.tensor1d(p.running_mean.data)), variance: keep(tf.tensor1d(p.running_var.data)), scale: keep(tf.tensor1d(p.weight.data)), offset: keep(tf.tensor1d(p.bias.data)) });
    } else if (layer.kind === 'linear') {
      const [o, i] = p.weight.shape;
      prepared.set(layer.name, { w: keep(tf.transpose(tf.tensor2d(p.weight.data, [o, i]))), b: keep(tf.tensor1d(p.bias.data)) });
    }
  }
  const forward = (x) => {
    const values = new Map([['input', x]]);
    for (const layer of analysis.layers) {
      const ins = layer.inputs.map((n) => values.get(n));
      const p = prepared.get(layer.name);
      const g = layer.geometry;
      let y;
      switch (layer.kind) {
        case 'conv2d':
          y = tf.conv2d(ins[0], p.w, [g.h.stride, g.w.stride], [[0, 0], [g.h.padBefore, g.h.padAfter], [g.w.padBefore, g.w.padAfter], [0, 0]]);
          if (p.b) y = tf.add(y, p.b);
          break;
        case 'batchnorm2d':
          y = tf.batchNorm(ins[0], p.mean, p.variance, p.offset, p.scale, 1e-5);
          break;
        case 'relu':
          y = tf.relu(ins[0]);
          break;
        case 'maxpool2d': {
          // tfjs pads max pooling with -inf too, so explicit padding matches PyTorch's.
          const padded = tf.pad(ins[0], [[0, 0], [g.h.padBefore, g.h.padAfter], [g.w.padBefore, g.w.padAfter], [0, 0]], -Infinity);
          y = tf.maxPool(padded, [g.h.kernel, g.w.kernel], [g.h.stride, g.w.stride], 'valid');
          break;
        }
        case 'add':
          y = tf.addN(ins);
          break;
        case 'adaptive_avgpool2d':
          y = tf.mean(ins[0], [1, 2], true);
          break;
        case 'flatten':
          y = tf.reshape(ins[0], [ins[0].shape[0], -1]);
          break;
        case 'linear':
          y = tf.add(tf.matMul(ins[0], p.w), p.b);
          break;
        default:
          throw new Error(`bench network: ${layer.kind} not mapped`);
      }
      values.set(layer.name, y);
    }
    return values.get(analysis.layers[analysis.layers.length - 1].name);
  };
  forward.dispose = () => owned.forEach((t) => t.dispose());
  return forward;
}

// --- report -----------------------------------------------------------------------------------------
const gflops = (flops, ms) => (flops / ms / 1e6).toFixed(2);
console.log(`ConvLens engine vs TensorFlow.js ${tf.version_core} — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, load average ${loadavg()[0].toFixed(1)}`);
console.log(
  `tfjs-backend-wasm: SIMD ${wasmSimd ? 'on' : 'off'}, threads ${wasmThreads ? 'on' : 'off'}; engine ts: TypeScript GEMM (cache-blocked, 4×4 micro-kernel); ` +
    `engine wasm: WebAssembly SIMD GEMM (${wasmGemm.mr}×${wasmGemm.nr} micro-kernel, weights packed once); medians of ${rows.map((r) => r.ts.n).join(' / ')} runs per implementation, in ${ROUNDS} interleaved rounds`,
);
const embedded = engine.embeddedGemmWasm();
if (alt) console.log(`engine wasm: ${embedded.compiler}, ${embedded.bytes.length} bytes; engine wasm (alt): ${alt.compiler}, ${alt.bytes} bytes; same flags and sources`);
const NAMES = { ts: 'engine ts', wasm: 'engine wasm', ...(alt ? { wasmAlt: 'engine wasm (alt)' } : {}), tfjsCpu: 'tfjs-backend-cpu', tfjsWasm: 'tfjs-backend-wasm' };
for (const clock of ['cpu', 'wall']) {
  console.log(`\n${clock === 'cpu' ? 'CPU time (process.cpuUsage)' : 'Wall clock'}`);
  const ratio = (r, theirs, mine) => (r[theirs] && r[mine] ? `${(r[theirs][clock] / r[mine][clock]).toFixed(2)}×` : '—');
  const header = ['workload', ...Object.values(NAMES), 'wasm vs tfjs-wasm', 'wasm vs ts', 'ts vs tfjs-cpu', ...(alt ? ['wasm vs alt'] : [])];
  const cell = (t, flops) => (t ? `${t[clock] >= 1000 ? `${(t[clock] / 1000).toFixed(2)} s` : `${t[clock].toFixed(1)} ms`} ${gflops(flops, t[clock]).padStart(6)} GFLOP/s` : '—');
  const table = rows.map((r) => [r.label, ...Object.keys(NAMES).map((k) => cell(r[k], r.flops)), ratio(r, 'tfjsWasm', 'wasm'), ratio(r, 'ts', 'wasm'), ratio(r, 'tfjsCpu', 'ts'), ...(alt ? [ratio(r, 'wasmAlt', 'wasm')] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}
console.log('\n"A vs B": B\'s median time divided by A\'s (above 1: A is faster). "—": sat out (see --tfjs-cpu-resnet50).');
for (const r of rows) console.log(`check ${r.label}: ${r.check}`);
