// Analysis time for generated 100 / 1,000 / 10,000-layer model files (parse + analyze).
// Usage: node bench/analyze.mjs   (bundles src/core with esbuild into a temp file first)
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'convlens-bench-'));
const outfile = path.join(dir, 'core.js');
await esbuild.build({
  entryPoints: [path.join(root, 'src/core/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
  alias: { yaml: path.join(root, 'node_modules/yaml/browser/index.js') },
});
const { analyzeYaml } = createRequire(import.meta.url)(outfile);

/** A ResNet-like stack of `n` layers: conv/bn/relu triples with a residual add every block. */
function generate(n) {
  const lines = ['name: generated', 'input: [1, 64, 56, 56]', 'layers:'];
  let i = 0;
  let blockStart = 'input';
  while (i < n) {
    const k = i % 7;
    const name = `l${i}`;
    if (k === 6) {
      lines.push(`  - name: ${name}`, '    add: {}', `    from: [l${i - 1}, ${blockStart}]`);
      blockStart = name;
    } else if (k % 3 === 0) lines.push(`  - name: ${name}`, '    conv2d: {out_channels: 64, kernel_size: 3, padding: 1, bias: false}');
    else if (k % 3 === 1) lines.push(`  - name: ${name}`, '    batchnorm2d: {}');
    else lines.push(`  - name: ${name}`, '    relu: {}');
    i++;
  }
  return lines.join('\n') + '\n';
}

const rows = [];
for (const n of [100, 1000, 10000]) {
  const text = generate(n);
  const check = analyzeYaml(text);
  if (check.diagnostics.some((d) => d.severity === 'error')) throw new Error(`generated model has errors: ${check.diagnostics[0].message}`);
  const runs = n >= 10000 ? 7 : 31;
  for (let w = 0; w < 3; w++) analyzeYaml(text); // warm-up
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    analyzeYaml(text);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  rows.push({ layers: n, bytes: text.length, median: times[Math.floor(runs / 2)], min: times[0] });
}
rmSync(dir, { recursive: true, force: true });
console.log('ConvLens analysis (parse + analyze), node', process.version);
console.log('layers   file size   median ms   min ms   µs/layer');
for (const r of rows) {
  console.log(
    `${String(r.layers).padStart(6)}   ${String((r.bytes / 1024).toFixed(0) + ' KiB').padStart(9)}   ${r.median.toFixed(2).padStart(9)}   ${r.min.toFixed(2).padStart(6)}   ${((r.median * 1000) / r.layers).toFixed(1).padStart(8)}`,
  );
}
const thousand = rows.find((r) => r.layers === 1000);
console.log(`goal: < 20 ms for 1,000 layers — ${thousand.median < 20 ? 'met' : 'NOT met'} (${thousand.median.toFixed(2)} ms)`);
