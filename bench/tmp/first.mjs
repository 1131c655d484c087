import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
const root = '/work/main';
const outfile = path.join(root, 'bench/tmp/engine.cjs');
await esbuild.build({
  stdin: { contents: `
    export { loadWasmGemm } from './src/core/engine/wasm/index';
    export { runModel } from './src/core/engine/runner';
    export { analyzeYaml } from './src/core/index';
    export { RandomWeightsCache } from './webview/preview/random-weights';
  `, resolveDir: root, loader: 'ts' },
  bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning',
  alias: { yaml: path.join(root, 'node_modules/yaml/browser/index.js') },
});
const engine = createRequire(import.meta.url)(outfile);
const gemm = engine.loadWasmGemm();
const analysis = engine.analyzeYaml(readFileSync(path.join(root, 'test/fixtures/models/resnet50.cnn.yaml'), 'utf8')).model;
const rw = new engine.RandomWeightsCache({ lazy: true });
const input = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i));
const out = [];
for (let run = 1; run <= 2; run++) {
  const params = rw.resolve(analysis.layers, 0);
  const tensors = new Map();
  for (const [layer, p] of params) for (const [k, t] of Object.entries(p)) tensors.set(`${layer}.${k}`, t);
  const t1 = performance.now();
  const r = engine.runModel(analysis, input, { kind: 'tensors', tensors, label: 'r' }, { keep: 'all', outputs: 'in-place', gemm });
  out.push(performance.now() - t1);
  r.release();
}
console.log(`${process.execArgv.join(' ') || 'default'}: run 1 ${out[0].toFixed(0)} ms, run 2 ${out[1].toFixed(0)} ms, extra ${(out[0]-out[1]).toFixed(0)} ms`);
