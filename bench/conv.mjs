// Engine convolution throughput and ResNet-18 / ResNet-50 forward times, side by side with
// TensorFlow.js's CPU (plain JS) and WebAssembly (XNNPACK, SIMD) backends in the same process.
//
// Usage: npm run build:wasm && node bench/conv.mjs [--runs N] [--resnet-runs N] [--skip-resnet] [--tfjs-cpu-resnet50] [--only TEXT]
//          [--compare-clang /usr/bin/clang-14]
//
// Five contestants: the ConvLens engine with its TypeScript kernels ('ts' backend), the same
// engine with its WebAssembly SIMD kernels ('wasm' backend: weights packed once, then reused by
// every run, as in the preview), tfjs-backend-cpu and tfjs-backend-wasm (single-threaded in Node),
// and onnxruntime-web's WebAssembly backend (SIMD, one thread: what a VS Code webview, which is not
// cross-origin isolated, can run), given an ONNX graph built here from the same analysis and
// weights (bench/onnx-graph.mjs). --only TEXT keeps the rows whose label contains TEXT.
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
import { onnxConv, onnxFromAnalysis } from './onnx-graph.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 0) || 7;
const SKIP_RESNET = args.includes('--skip-resnet');
const TFJS_CPU_RESNET50 = args.includes('--tfjs-cpu-resnet50');
const RESNET_RUNS = Number(args[args.indexOf('--resnet-runs') + 1] ?? 0) || 3;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const wanted = (label) => ONLY === undefined || label.toLowerCase().includes(ONLY.toLowerCase());
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

// --- onnxruntime-web: WebAssembly, one thread, SIMD ----------------------------------------------
const ort = requireFromRoot('onnxruntime-web');
const ortVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/onnxruntime-web/package.json'), 'utf8')).version;
ort.env.wasm.numThreads = 1;
ort.env.wasm.simd = true;
ort.env.logLevel = 'error';

/** A contestant running `onnxBytes` on onnxruntime-web; the session is created once (untimed). */
function ortContestant(onnxBytes, inputData, inputShape, outputs) {
  let session;
  return async () => {
    session ??= await ort.InferenceSession.create(onnxBytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const feed = { input: new ort.Tensor('float32', inputData, inputShape) };
    return {
      run: async () => {
        const result = await session.run(feed);
        outputs.ort = result.output.data;
      },
    };
  };
}

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
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = a[((b * c + ch) * h + y) * w + x];
  return out;
}
function oihwToHwio(a, [o, i, kh, kw]) {
  const out = new Float32Array(a.length);
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) out[((y * kw + x) * i + ic) * o + oc] = a[((oc * i + ic) * kh + y) * kw + x];
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
  return Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [k, { wall: median(v.map((t) => t.wall)), cpu: median(v.map((t) => t.cpu)), n: v.length }]),
  );
}

function maxAbsDiff(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

// --- single convolutions --------------------------------------------------------------------------
// The single layers that dominate ResNet (the first two) and MobileNetV2 / EfficientNet (the rest:
// their first depthwise layer at 112², an inverted residual block's at 56², the expansions).
const CONVS = [
  { label: 'conv 3×3, 64→64, 1×64×56×56, pad 1', x: [1, 64, 56, 56], w: [64, 64, 3, 3], stride: 1, pad: 1 },
  { label: 'stem 7×7/2, 3→64, 1×3×224×224, pad 3', x: [1, 3, 224, 224], w: [64, 3, 7, 7], stride: 2, pad: 3 },
  { label: 'depthwise 3×3, 32 ch, 1×32×112×112, pad 1', x: [1, 32, 112, 112], w: [32, 1, 3, 3], stride: 1, pad: 1, groups: 32 },
  { label: 'depthwise 3×3, 144 ch, 1×144×56×56, pad 1', x: [1, 144, 56, 56], w: [144, 1, 3, 3], stride: 1, pad: 1, groups: 144 },
  { label: 'pointwise 1×1, 24→144, 1×24×56×56', x: [1, 24, 56, 56], w: [144, 24, 1, 1], stride: 1, pad: 0 },
  { label: 'pointwise 1×1, 64→384, 1×64×14×14', x: [1, 64, 14, 14], w: [384, 64, 1, 1], stride: 1, pad: 0 },
];

const rows = [];
for (const c of CONVS.filter((c) => wanted(c.label))) {
  const groups = c.groups ?? 1;
  const x = {
    shape: c.x,
    data: randomArray(
      c.x.reduce((a, b) => a * b),
      1,
    ),
  };
  const w = {
    shape: c.w,
    data: randomArray(
      c.w.reduce((a, b) => a * b),
      2,
    ),
  };
  const geometry = engine.computeWindowGeometry({
    input: [c.x[2], c.x[3]],
    kernel: [c.w[2], c.w[3]],
    stride: [c.stride, c.stride],
    padding: [c.pad, c.pad],
    dilation: [1, 1],
  });
  const [oh, ow] = [geometry.h.output, geometry.w.output];
  const flops = 2 * c.w[0] * c.w[1] * c.w[2] * c.w[3] * oh * ow * c.x[0];
  const ours = {};
  const tfOut = {};
  const tfjs = (backend) => async () => {
    await tf.setBackend(backend);
    const tx = tf.tensor4d(nchwToNhwc(x.data, c.x), [c.x[0], c.x[2], c.x[3], c.x[1]]);
    // A depthwise filter is [KH, KW, C, 1] for tfjs: the OIHW weight read as [1, C, KH, KW].
    const tw =
      groups === 1
        ? tf.tensor4d(oihwToHwio(w.data, c.w), [c.w[2], c.w[3], c.w[1], c.w[0]])
        : tf.tensor4d(oihwToHwio(w.data, [1, c.w[0], c.w[2], c.w[3]]), [c.w[2], c.w[3], c.w[0], 1]);
    const pad = [
      [0, 0],
      [c.pad, c.pad],
      [c.pad, c.pad],
      [0, 0],
    ];
    return {
      run: async () => {
        const y = groups === 1 ? tf.conv2d(tx, tw, c.stride, pad) : tf.depthwiseConv2d(tx, tw, c.stride, pad);
        tfOut[backend] = await y.data();
        y.dispose();
      },
      dispose: () => (tx.dispose(), tw.dispose()),
    };
  };
  const times = await compare(
    {
      ts: () => ({ run: () => (ours.ts = engine.conv2dForward(x, w, undefined, { geometry, groups }, engine.gemmBlocked)) }),
      // The weights are packed on the warm-up call and reused, as in a model run.
      wasm: () => ({ run: () => (ours.wasm = engine.conv2dForwardWasm(x, w, undefined, { geometry, groups }, packs)) }),
      wasmAlt: alt
        ? () => ({ run: () => (ours.wasmAlt = alt.engine.conv2dForwardWasm(x, w, undefined, { geometry, groups }, alt.packs)) })
        : null,
      tfjsCpu: tfjs('cpu'),
      tfjsWasm: tfjs('wasm'),
      ort: ortContestant(onnxConv(c.x, w, { stride: c.stride, pad: c.pad, groups }, [c.x[0], c.w[0], oh, ow]), x.data, c.x, tfOut),
    },
    RUNS,
    // Five untimed runs: V8 moves a WebAssembly function to its optimizing tier on a background
    // thread, which on a loaded machine can finish only after two short runs (a single depthwise
    // layer then measured 4× slower in one run of the script and not in the next).
    5,
  );
  rows.push({ label: c.label, flops, ...times, check: agreement(ours, tfOut, (t) => nchwToNhwc(t.data, t.shape)) });
}

/** Max |Δ| of each engine backend's output against the others' (tfjs NHWC, onnxruntime NCHW). */
function agreement(ours, theirOut, toNhwc) {
  return Object.entries(ours)
    .map(([name, t]) => {
      const mine = toNhwc(t);
      return Object.entries(theirOut)
        .map(
          ([other, theirs]) =>
            `${name} vs ${other === 'ort' ? 'onnxruntime' : `tfjs-${other}`} ${maxAbsDiff(other === 'ort' ? t.data : mine, theirs).toExponential(1)}`,
        )
        .join(', ');
    })
    .join('; ');
}

// --- whole networks ----------------------------------------------------------------------------
const MODELS = [
  { file: 'resnet18', label: 'ResNet-18' },
  { file: 'resnet50', label: 'ResNet-50' },
  { file: 'mobilenet_v2', label: 'MobileNetV2' },
  // Squeeze-and-excitation multiplies a feature map by per-channel gates: the engine has the
  // broadcasting `mul` now, but these two models' files (torch-exported, with their hardswish and
  // stochastic-depth layers checked) are not in the fixtures yet, so they sit out, said so in the table.
  { label: 'MobileNetV3-Small', missing: 'no model file in test/fixtures/models yet' },
  { label: 'EfficientNet-B0', missing: 'no model file in test/fixtures/models yet' },
];
const missingRows = [];
if (!SKIP_RESNET) {
  for (const { file: model, label: modelLabel, missing } of MODELS.filter((m) => wanted(m.label))) {
    if (missing !== undefined) {
      missingRows.push({ label: `${modelLabel} forward, 1×3×224×224`, missing });
      continue;
    }
    const yaml = readFileSync(path.join(root, `test/fixtures/models/${model}.cnn.yaml`), 'utf8');
    const analysis = engine.analyzeYaml(yaml).model;
    const resolved = engine.resolveWeights(analysis.layers, { kind: 'random', seed: 0 });
    const tensors = new Map();
    for (const [layer, params] of resolved.byLayer) for (const [k, t] of Object.entries(params)) tensors.set(`${layer}.${k}`, t);
    const input = randomArray(
      analysis.input.reduce((a, b) => a * b),
      3,
    );
    const last = analysis.layers[analysis.layers.length - 1].name;
    const ours = {};
    const tfOut = {};
    const tfjs = (backend) => async () => {
      await tf.setBackend(backend);
      const net = tfjsNetwork(analysis, resolved.byLayer);
      const tx = tf.tensor4d(nchwToNhwc(input, analysis.input), [
        analysis.input[0],
        analysis.input[2],
        analysis.input[3],
        analysis.input[1],
      ]);
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
    const run =
      (backend, e = engine, name = backend) =>
      () => ({
        run: () => (ours[name] = e.runModel(analysis, input, { kind: 'tensors', tensors }, { keep: [last], backend }).outputs.get(last)),
      });
    const times = await compare(
      {
        ts: run('ts'),
        wasm: run('wasm'),
        wasmAlt: alt ? run('wasm', alt.engine, 'wasmAlt') : null,
        tfjsCpu: model === 'resnet50' && !TFJS_CPU_RESNET50 ? null : tfjs('cpu'),
        tfjsWasm: tfjs('wasm'),
        ort: ortContestant(onnxFromAnalysis(analysis, resolved.byLayer), input, analysis.input, tfOut),
      },
      RESNET_RUNS,
      // Two untimed runs: V8 moves WebAssembly functions to its optimizing tier over the first calls.
      2,
    );
    rows.push({
      label: `${modelLabel} forward, 1×3×224×224 (${analysis.layers.length} layers)`,
      flops: 2 * Number(analysis.totalMacs),
      ...times,
      check: `logits: ${agreement(ours, tfOut, (t) => t.data)}`,
    });
  }
}

/** The same analyzed model as tfjs ops (NHWC), with the engine's weights. The bench models' kinds only. */
function tfjsNetwork(analysis, byLayer) {
  const owned = [];
  const keep = (t) => (owned.push(t), t);
  const prepared = new Map();
  for (const layer of analysis.layers) {
    const p = byLayer.get(layer.name) ?? {};
    if (layer.kind === 'conv2d') {
      const [o, i, kh, kw] = p.weight.shape;
      const groups = layer.attrs.groups ?? 1;
      if (groups !== 1 && !(i === 1 && o === groups))
        throw new Error('bench network: grouped convolutions other than depthwise not mapped');
      // Depthwise: tfjs's filter is [KH, KW, C, 1].
      const w =
        groups === 1
          ? tf.tensor4d(oihwToHwio(p.weight.data, p.weight.shape), [kh, kw, i, o])
          : tf.tensor4d(oihwToHwio(p.weight.data, [1, o, kh, kw]), [kh, kw, o, 1]);
      prepared.set(layer.name, { w: keep(w), depthwise: groups !== 1, b: p.bias ? keep(tf.tensor1d(p.bias.data)) : undefined });
    } else if (layer.kind === 'batchnorm2d') {
      prepared.set(layer.name, {
        mean: keep(tf.tensor1d(p.running_mean.data)),
        variance: keep(tf.tensor1d(p.running_var.data)),
        scale: keep(tf.tensor1d(p.weight.data)),
        offset: keep(tf.tensor1d(p.bias.data)),
      });
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
        case 'conv2d': {
          const pad = [
            [0, 0],
            [g.h.padBefore, g.h.padAfter],
            [g.w.padBefore, g.w.padAfter],
            [0, 0],
          ];
          y = p.depthwise
            ? tf.depthwiseConv2d(ins[0], p.w, [g.h.stride, g.w.stride], pad)
            : tf.conv2d(ins[0], p.w, [g.h.stride, g.w.stride], pad);
          if (p.b) y = tf.add(y, p.b);
          break;
        }
        case 'batchnorm2d':
          y = tf.batchNorm(ins[0], p.mean, p.variance, p.offset, p.scale, 1e-5);
          break;
        case 'relu':
          y = tf.relu(ins[0]);
          break;
        case 'relu6':
          y = tf.relu6(ins[0]);
          break;
        case 'dropout':
          y = ins[0];
          break;
        case 'maxpool2d': {
          // tfjs pads max pooling with -inf too, so explicit padding matches PyTorch's.
          const padded = tf.pad(
            ins[0],
            [
              [0, 0],
              [g.h.padBefore, g.h.padAfter],
              [g.w.padBefore, g.w.padAfter],
              [0, 0],
            ],
            -Infinity,
          );
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
console.log(
  `ConvLens engine vs TensorFlow.js ${tf.version_core} and onnxruntime-web ${ortVersion} — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, load average ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `tfjs-backend-wasm: SIMD ${wasmSimd ? 'on' : 'off'}, threads ${wasmThreads ? 'on' : 'off'}; onnxruntime-web: wasm backend, ${ort.env.wasm.numThreads} thread, SIMD, graph optimizations all; engine ts: TypeScript GEMM (cache-blocked, 4×4 micro-kernel); ` +
    `engine wasm: WebAssembly SIMD GEMM (${wasmGemm.mr}×${wasmGemm.nr} micro-kernel, weights packed once); medians of ${rows.map((r) => r.ts.n).join(' / ')} runs per implementation, in ${ROUNDS} interleaved rounds`,
);
const embedded = engine.embeddedGemmWasm();
if (alt)
  console.log(
    `engine wasm: ${embedded.compiler}, ${embedded.bytes.length} bytes; engine wasm (alt): ${alt.compiler}, ${alt.bytes} bytes; same flags and sources`,
  );
const NAMES = {
  ts: 'engine ts',
  wasm: 'engine wasm',
  ...(alt ? { wasmAlt: 'engine wasm (alt)' } : {}),
  tfjsCpu: 'tfjs-backend-cpu',
  tfjsWasm: 'tfjs-backend-wasm',
  ort: 'onnxruntime-web',
};
for (const clock of ['cpu', 'wall']) {
  console.log(`\n${clock === 'cpu' ? 'CPU time (process.cpuUsage)' : 'Wall clock'}`);
  const ratio = (r, theirs, mine) => (r[theirs] && r[mine] ? `${(r[theirs][clock] / r[mine][clock]).toFixed(2)}×` : '—');
  const header = [
    'workload',
    ...Object.values(NAMES),
    'wasm vs onnxruntime',
    'wasm vs tfjs-wasm',
    'wasm vs ts',
    'ts vs tfjs-cpu',
    ...(alt ? ['wasm vs alt'] : []),
  ];
  const cell = (t, flops) =>
    t
      ? `${t[clock] >= 1000 ? `${(t[clock] / 1000).toFixed(2)} s` : `${t[clock].toFixed(1)} ms`} ${gflops(flops, t[clock]).padStart(6)} GFLOP/s`
      : '—';
  const table = rows.map((r) => [
    r.label,
    ...Object.keys(NAMES).map((k) => cell(r[k], r.flops)),
    ratio(r, 'ort', 'wasm'),
    ratio(r, 'tfjsWasm', 'wasm'),
    ratio(r, 'ts', 'wasm'),
    ratio(r, 'tfjsCpu', 'ts'),
    ...(alt ? [ratio(r, 'wasmAlt', 'wasm')] : []),
  ]);
  for (const m of missingRows) table.push([m.label, ...header.slice(1).map(() => '—')]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}
console.log('\n"A vs B": B\'s median time divided by A\'s (above 1: A is faster). "—": sat out (see --tfjs-cpu-resnet50).');
for (const m of missingRows) console.log(`not run ${m.label}: ${m.missing}`);
for (const r of rows) console.log(`check ${r.label}: ${r.check}`);
