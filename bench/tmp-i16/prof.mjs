import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
const root='/work/wt/i16';
await esbuild.build({ stdin:{contents:`export { runModel } from './src/core/engine/runner'; export { resolveWeights } from './src/core/engine/weights'; export { kernelFor } from './src/core/engine/kernels/index'; export { analyzeYaml } from './src/core/index';`, resolveDir: root, loader:'ts'}, bundle:true, platform:'node', format:'cjs', outfile:'/tmp/i16/e.cjs', logLevel:'warning', alias:{yaml: path.join(root,'node_modules/yaml/browser/index.js')}});
const engine = createRequire(import.meta.url)('/tmp/i16/e.cjs');
const model = process.argv[2] ?? 'mobilenet_v2';
const analysis = engine.analyzeYaml(readFileSync(`${root}/test/fixtures/models/${model}.cnn.yaml`,'utf8')).model;
const resolved = engine.resolveWeights(analysis.layers, {kind:'random',seed:0}, engine.kernelFor);
const tensors = new Map(); for (const [l,p] of resolved.byLayer) for (const [k,v] of Object.entries(p)) tensors.set(`${l}.${k}`, v);
const input = new Float32Array(3*224*224).map((_, i) => Math.sin(i));
const last = analysis.layers.at(-1).name;
const byLayer = new Map(analysis.layers.map(l=>[l.name,l]));
const N=Number(process.argv[3]??8); const agg = new Map(); const totals=[];
for (let j=0;j<N;j++){const t1=performance.now(); const r = engine.runModel(analysis, input, {kind:'tensors',tensors},{keep:[last],backend:'wasm'}); totals.push(performance.now()-t1);
 if (j>=2) for (const t of r.timings) { const l=byLayer.get(t.name); const g=l.attrs.groups??1; const key = `${t.kind}${t.kind==='conv2d'?(g>1?' dw':(l.geometry.h.kernel===1?' 1x1':' kxk')):''} ${l.outputShape?.slice(2).join('x')}`; agg.set(key,(agg.get(key)??0)+t.ms/(N-2)); }}
console.log('totals', totals.map(t=>t.toFixed(1)).join(' '));
for (const [k,v] of [...agg].sort((a,b)=>b[1]-a[1])) console.log(k.padEnd(30), v.toFixed(2));
