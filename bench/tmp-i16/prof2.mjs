import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
const root='/work/wt/i16';
await esbuild.build({ stdin:{contents:`export { runModel } from './src/core/engine/runner'; export { resolveWeights } from './src/core/engine/weights'; export { kernelFor } from './src/core/engine/kernels/index'; export { analyzeYaml } from './src/core/index';`, resolveDir: root, loader:'ts'}, bundle:true, platform:'node', format:'cjs', outfile:'/tmp/i16/e2.cjs', logLevel:'warning', alias:{yaml: path.join(root,'node_modules/yaml/browser/index.js')}});
const engine = createRequire(import.meta.url)('/tmp/i16/e2.cjs');
const model = process.argv[2] ?? 'mobilenet_v2';
const analysis = engine.analyzeYaml(readFileSync(`${root}/test/fixtures/models/${model}.cnn.yaml`,'utf8')).model;
const resolved = engine.resolveWeights(analysis.layers, {kind:'random',seed:0}, engine.kernelFor);
const tensors = new Map(); for (const [l,p] of resolved.byLayer) for (const [k,v] of Object.entries(p)) tensors.set(`${l}.${k}`, v);
const input = new Float32Array(3*224*224).map((_, i) => Math.sin(i));
const last = analysis.layers.at(-1).name;
const byLayer = new Map(analysis.layers.map(l=>[l.name,l]));
const N=Number(process.argv[3]??12); const per = new Map();
for (let j=0;j<N;j++){ const r = engine.runModel(analysis, input, {kind:'tensors',tensors},{keep:[last],backend:'wasm'});
 if (j>=2) for (const t of r.timings) { (per.get(t.name) ?? per.set(t.name, []).get(t.name)).push(t.ms); }}
const med = a => a.sort((x,y)=>x-y)[a.length>>1];
const rows=[]; let tot=0;
for (const [name, ts] of per) { const l=byLayer.get(name); const m=med(ts); tot+=m; const macs=Number(l.macs??0); rows.push([name, l.kind, (l.attrs.groups??1)>1?'dw':'', l.geometry? `${l.geometry.h.kernel}x${l.geometry.w.kernel}/${l.geometry.h.stride}`:'', JSON.stringify(l.outputShape), m.toFixed(3), macs? (2*macs/m/1e6).toFixed(1):'']); }
rows.sort((a,b)=>b[5]-a[5]); for (const r of rows.slice(0,30)) console.log(r.join('\t'));
console.log('sum of medians', tot.toFixed(1));
