// The WebAssembly SIMD GEMM (src/core/engine/wasm) on the two convolutions of issue 7, expressed
// as GEMMs, side by side in the same process with TensorFlow.js's WebAssembly backend (XNNPACK,
// SIMD, single thread in Node) and CPU backend running the same convolutions.
//
// Usage: npm run build:wasm && node bench/wasm-gemm.mjs [--runs N]
//
// Rows:
//   wasm sgemm, in place     C = W·col with W packed once (packA) and col, C already in the
//                            module's memory: the GEMM alone.
//   wasm sgemm, JS arrays    the same from Float32Arrays: adds copying col in and C out.
//   wasm conv2d              the whole convolution from the NCHW input: im2col gathered straight
//                            into packed panels block by block, then the GEMM; copies included.
//                            This is the row to set against tfjs, which also starts from the input.
//   tfjs-wasm / tfjs-cpu     tf.conv2d on NHWC tensors (layouts converted once, untimed), with
//                            the output read back (dataSync) inside the timing.
// Every contender is timed once per round, rounds interleaved, so a busy machine slows all of them
// alike; the table gives the median and the best of the rounds. GFLOP/s count 2 FLOPs per
// multiply-add. Ratios are tfjs time / our time: above 1 means faster than tfjs.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 0) || 15;
const CPU_RUNS = Math.min(RUNS, 3); // tfjs-cpu takes about half a second per convolution

// --- the wasm GEMM, bundled -----------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'convlens-bench-'));
const outfile = path.join(dir, 'wasm-gemm.js');
await esbuild.build({
  stdin: {
    contents: `
      export * from './src/core/engine/wasm/index';
      export { embeddedGemmWasm } from './src/core/engine/wasm/embedded';
      export { computeWindowGeometry } from './src/core/geometry';
    `,
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'bench-wasm-gemm.ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
});
const lib = createRequire(import.meta.url)(outfile);
rmSync(dir, { recursive: true, force: true });
const gemm = lib.loadWasmGemm();
if (!gemm) {
  console.error(`The WebAssembly GEMM is unavailable: ${lib.wasmGemmUnavailableReason()}. Run \`npm run build:wasm\` first.`);
  process.exit(1);
}

// --- tfjs: core + both backends -------------------------------------------------------------------
const requireFromRoot = createRequire(path.join(root, 'package.json'));
const tf = requireFromRoot('@tensorflow/tfjs-core');
requireFromRoot('@tensorflow/tfjs-backend-cpu');
const tfWasm = requireFromRoot('@tensorflow/tfjs-backend-wasm');
// In Node the wasm backend reads its .wasm files from the file system: give it the directory
// path with a trailing separator (a file:// URL does not work).
tfWasm.setWasmPaths(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
// Drop tfjs's "install tfjs-node" banner (printed on first use, so the filter stays).
const warn = console.warn;
console.warn = (...parts) => {
  const text = parts.join(' ');
  if (!text.includes('tfjs-node') && !/^=+$/.test(text.trim())) warn(...parts);
};
await tf.setBackend('cpu');
await tf.setBackend('wasm');
const tfSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const tfThreads = tfWasm.getThreadsCount();

// --- helpers --------------------------------------------------------------------------------------
function randomArray(n, seed) {
  let s = seed >>> 0; // mulberry32
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    a[i] = 2 * (((t ^ (t >>> 14)) >>> 0) / 4294967296) - 1;
  }
  return a;
}

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

/** Caffe-layout column matrix (rows c·KH·KW, columns OH·OW), untimed setup for the GEMM rows. */
function im2col(x, C, g) {
  const { h, w } = g;
  const cols = new Float32Array(C * h.kernel * w.kernel * h.output * w.output);
  let o = 0;
  for (let c = 0; c < C; c++)
    for (let kh = 0; kh < h.kernel; kh++)
      for (let kw = 0; kw < w.kernel; kw++)
        for (let oh = 0; oh < h.output; oh++)
          for (let ow = 0; ow < w.output; ow++) {
            const ih = oh * h.stride - h.padBefore + kh * h.dilation;
            const iw = ow * w.stride - w.padBefore + kw * w.dilation;
            cols[o++] = ih >= 0 && ih < h.input && iw >= 0 && iw < w.input ? x[(c * h.input + ih) * w.input + iw] : 0;
          }
  return cols;
}

function maxAbsDiff(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);

// --- the workloads --------------------------------------------------------------------------------
const CONVS = [
  { label: 'ResNet 3×3 block: 1×64×56×56, 64 filters 3×3, pad 1', x: [1, 64, 56, 56], w: [64, 64, 3, 3], stride: 1, pad: 1 },
  { label: 'stem 7×7/2: 1×3×224×224, 64 filters 7×7, stride 2, pad 3', x: [1, 3, 224, 224], w: [64, 3, 7, 7], stride: 2, pad: 3 },
];

console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `WasmGemm micro-kernel ${gemm.mr}×${gemm.nr}; tfjs-backend-wasm SIMD ${tfSimd}, threads ${tfThreads}; ${RUNS} rounds (tfjs-cpu ${CPU_RUNS})\n`,
);

for (const c of CONVS) {
  const [, C, H, W] = c.x;
  const [M, , KH, KW] = c.w;
  const g = lib.computeWindowGeometry({
    input: [H, W],
    kernel: [KH, KW],
    stride: [c.stride, c.stride],
    padding: [c.pad, c.pad],
    dilation: [1, 1],
  });
  const K = C * KH * KW;
  const N = g.h.output * g.w.output;
  const flops = 2 * M * K * N;
  const x = randomArray(C * H * W, 1);
  const weights = randomArray(M * K, 2);
  const cols = im2col(x, C, g);

  const t0 = performance.now();
  const packed = gemm.packA(M, K, weights);
  const packMs = performance.now() - t0;
  const colsBuf = gemm.allocate(K * N);
  const outBuf = gemm.allocate(M * N);
  colsBuf.view().set(cols);
  const outJs = new Float32Array(M * N);
  const convOut = new Float32Array(M * N);

  const tx = {};
  const tw = {};
  const tfOut = {};
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    tx[backend] = tf.tensor4d(nchwToNhwc(x, c.x), [1, H, W, C]);
    tw[backend] = tf.tensor4d(oihwToHwio(weights, c.w), [KH, KW, C, M]);
  }
  const pad = [
    [0, 0],
    [c.pad, c.pad],
    [c.pad, c.pad],
    [0, 0],
  ];
  const tfConv = (backend) => () => {
    if (tf.getBackend() !== backend) tf.setBackend(backend);
    const y = tf.conv2d(tx[backend], tw[backend], c.stride, pad);
    tfOut[backend] = y.dataSync();
    y.dispose();
  };

  const contenders = [
    { name: 'wasm sgemm, in place', runs: RUNS, fn: () => gemm.sgemm(M, N, K, packed, colsBuf.view(), outBuf.view()) },
    { name: 'wasm sgemm, JS arrays', runs: RUNS, fn: () => gemm.sgemm(M, N, K, packed, cols, outJs) },
    { name: 'wasm conv2d (im2col+GEMM)', runs: RUNS, fn: () => gemm.conv2d(x, packed, g, convOut) },
    { name: 'tfjs-wasm conv2d', runs: RUNS, fn: tfConv('wasm'), tfjs: true },
    { name: 'tfjs-cpu conv2d', runs: CPU_RUNS, fn: tfConv('cpu'), tfjs: true },
  ];
  for (const k of contenders) {
    k.times = [];
    for (let i = 0; i < (k.name.startsWith('tfjs-cpu') ? 1 : 3); i++) k.fn(); // warm-up (and V8 tier-up)
  }
  for (let round = 0; round < RUNS; round++) {
    for (const k of contenders) {
      if (round >= k.runs) continue;
      const start = performance.now();
      k.fn();
      k.times.push(performance.now() - start);
    }
  }

  const byName = Object.fromEntries(contenders.map((k) => [k.name, { median: median(k.times), best: best(k.times) }]));
  const tfw = byName['tfjs-wasm conv2d'];
  const tfc = byName['tfjs-cpu conv2d'];
  console.log(
    `${c.label}\n  as a GEMM: M = ${M}, K = ${K}, N = ${N}; ${(flops / 1e6).toFixed(1)} MFLOP; packA once: ${packMs.toFixed(2)} ms`,
  );
  console.log(
    `  ${'contender'.padEnd(27)} ${'median ms'.padStart(9)} ${'best ms'.padStart(8)} ${'GFLOP/s'.padStart(8)} ${'best'.padStart(6)}   ${'vs tfjs-wasm'.padStart(12)} ${'vs tfjs-cpu'.padStart(11)}`,
  );
  for (const k of contenders) {
    const t = byName[k.name];
    const ratios = k.tfjs ? '' : `${(tfw.median / t.median).toFixed(2).padStart(12)} ${(tfc.median / t.median).toFixed(1).padStart(11)}`;
    console.log(
      `  ${k.name.padEnd(27)} ${t.median.toFixed(2).padStart(9)} ${t.best.toFixed(2).padStart(8)} ${(flops / t.median / 1e6).toFixed(1).padStart(8)} ${(flops / t.best / 1e6).toFixed(1).padStart(6)}   ${ratios}`,
    );
  }
  const oursNhwc = nchwToNhwc(convOut, [1, M, g.h.output, g.w.output]);
  console.log(
    `  check: max |Δ| conv2d vs tfjs-wasm ${maxAbsDiff(oursNhwc, tfOut.wasm).toExponential(1)}, vs tfjs-cpu ${maxAbsDiff(oursNhwc, tfOut.cpu).toExponential(1)}, ` +
      `sgemm vs conv2d ${maxAbsDiff(outJs, convOut).toExponential(1)}, in place vs JS arrays ${maxAbsDiff(outBuf.view(), outJs).toExponential(1)}\n`,
  );
  for (const backend of ['wasm', 'cpu']) {
    tx[backend].dispose();
    tw[backend].dispose();
  }
  packed.dispose();
  colsBuf.dispose();
  outBuf.dispose();
}

// --- cold start: a fresh module, first calls still run in V8's baseline tier ----------------------
{
  const embedded = lib.embeddedGemmWasm();
  const tc = performance.now();
  const fresh = lib.createWasmGemm(embedded.bytes);
  const compileMs = performance.now() - tc;
  const [M, K, N] = [64, 576, 3136];
  const a = randomArray(M * K, 3);
  const b = randomArray(K * N, 4);
  const out = new Float32Array(M * N);
  const t0 = performance.now();
  const packed = fresh.packA(M, K, a);
  const t1 = performance.now();
  const calls = [];
  for (let i = 0; i < 4; i++) {
    const s = performance.now();
    fresh.sgemm(M, N, K, packed, b, out);
    calls.push(performance.now() - s);
  }
  console.log(
    `cold start (fresh module, M = ${M}, K = ${K}, N = ${N}): compile+instantiate ${compileMs.toFixed(2)} ms, packA ${(t1 - t0).toFixed(2)} ms, sgemm calls 1–4: ${calls.map((t) => t.toFixed(1)).join(', ')} ms`,
  );
}
