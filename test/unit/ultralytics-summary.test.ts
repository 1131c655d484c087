// Conformance against Ultralytics' own model summaries. The official model YAMLs (AGPL-3.0, so read
// where they are and never copied into this repository) carry, in the comment after each scale,
// the summary Ultralytics printed for that scale: "… summary: 129 layers, 3157200 parameters,
// 3157184 gradients, 8.9 GFLOPs". The numbers are parsed from the files at test time and our
// front end must reproduce each one: layers, parameters and gradients exactly, GFLOPs to the
// printed decimal.
//
// The folder is CONVLENS_ULTRALYTICS_DIR when set, else ../shared/ultralytics/files next to the
// repository (as from /work/main), else /work/shared/ultralytics/files (a clone elsewhere on this
// machine, such as CI's). A missing folder fails the suite: it never skips.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildUltralyticsModel, isUltralyticsYaml } from '../../src/core/frontends/ultralytics';

const REPO_ROOT = path.join(__dirname, '../../..');
const FILES_DIR =
  process.env.CONVLENS_ULTRALYTICS_DIR ??
  [path.resolve(REPO_ROOT, '../shared/ultralytics/files'), '/work/shared/ultralytics/files'].find((dir) => fs.existsSync(dir)) ??
  path.resolve(REPO_ROOT, '../shared/ultralytics/files');

interface PublishedRow {
  file: string;
  scale: string;
  line: number;
  layers: number;
  parameters: number;
  gradients: number;
  gflops: string;
}

function listYamls(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listYamls(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []))
    .sort();
}

const SUMMARY =
  /^\s+([A-Za-z0-9_]+)\s*:\s*\[[^\]]*\]\s*#.*summary:\s*([\d,]+) layers,\s*([\d,]+) parameters,\s*([\d,]+) gradients,\s*([\d.]+) GFLOPs/i;

function publishedRows(file: string, text: string): PublishedRow[] {
  const rows: PublishedRow[] = [];
  text.split('\n').forEach((line, i) => {
    const m = SUMMARY.exec(line);
    if (!m) return;
    const int = (s: string) => Number(s.replace(/,/g, ''));
    rows.push({ file, scale: m[1]!, line: i + 1, layers: int(m[2]!), parameters: int(m[3]!), gradients: int(m[4]!), gflops: m[5]! });
  });
  return rows;
}

/**
 * The two sets of stale rows. Both -cls files say `nc: 1000`, but their published parameters are
 * those of the same network with nc = 80: the difference is exactly 920 × (1280 + 1) in the
 * classifier's Linear(1280, nc), the only layer nc touches. So parameters, gradients and layers are
 * checked with nc = 80. GFLOPs differ between the two files:
 * - yolo12-cls: GFLOPs of that nc = 80 network at the default 640×640;
 * - yolo11-cls: GFLOPs of the nc = 1000 network at 224×224, the size the -cls models are trained
 *   and documented at (the published 0.5 / 1.6 / 5.0 / 6.2 / 13.7 are 0.408 / 1.496 / 4.861 /
 *   6.107 / 13.606 at nc = 80 and 224, so they cannot come from the network whose parameters are
 *   printed next to them).
 * These conditions were found by trying nc ∈ {80, 1000} and imgsz ∈ {224, 640}; each combination is
 * one of Ultralytics' defaults, nothing is fitted beyond that.
 */
const STALE: Record<string, { counts: { nc: number }; gflops: { nc: number; imgsz: number } }> = {
  'yolo11-cls.yaml': { counts: { nc: 80 }, gflops: { nc: 1000, imgsz: 224 } },
  'yolo12-cls.yaml': { counts: { nc: 80 }, gflops: { nc: 80, imgsz: 640 } },
};

describe('Ultralytics: the published model summaries', function () {
  this.timeout(300000);
  let files: string[] = [];
  let rows: PublishedRow[] = [];

  before(() => {
    if (!fs.existsSync(FILES_DIR)) {
      throw new Error(
        `The Ultralytics reference YAMLs are not at ${FILES_DIR}. Set CONVLENS_ULTRALYTICS_DIR to the folder of the official ` +
          `model YAMLs (e.g. /work/shared/ultralytics/files); this suite fails rather than skip without them.`,
      );
    }
    files = listYamls(FILES_DIR);
    rows = files.flatMap((f) => publishedRows(path.basename(f), fs.readFileSync(f, 'utf8')));
  });

  it('finds the 35 files and their published rows', () => {
    assert.equal(files.length, 35, `expected the 35 official files in ${FILES_DIR}, found ${files.length}`);
    assert.ok(rows.length >= 65, `expected at least 65 published summary rows, parsed ${rows.length}`);
  });

  it('reproduces every published row: layers, parameters, gradients exactly and GFLOPs to the printed decimal', () => {
    const failures: string[] = [];
    let matched = 0;
    for (const row of rows) {
      const text = fs.readFileSync(
        files.find((f) => path.basename(f) === row.file)!,
        'utf8',
      );
      const stale = STALE[row.file];
      const counts = buildUltralyticsModel(text, row.file, { scale: row.scale, nc: stale?.counts.nc });
      const flops = stale ? buildUltralyticsModel(text, row.file, { scale: row.scale, ...stale.gflops }) : counts;
      const s = counts.summary;
      const g = flops.summary;
      const where = `${row.file}:${row.line} scale ${row.scale}`;
      if (!s || !g) {
        failures.push(`${where}: no summary (${counts.diagnostics.map((d) => d.message).join('; ')})`);
        continue;
      }
      const got = `${s.layers} layers, ${s.parameters} parameters, ${s.gradients} gradients, ${g.gflops.toFixed(row.gflops.split('.')[1]?.length ?? 0)} GFLOPs`;
      const want = `${row.layers} layers, ${row.parameters} parameters, ${row.gradients} gradients, ${row.gflops} GFLOPs`;
      if (got === want) matched++;
      else failures.push(`${where}: published ${want}; ConvLens ${got}`);
    }
    console.log(`      checked ${rows.length} published Ultralytics summary rows in ${files.length} files: ${matched} match`);
    assert.deepEqual(failures, []);
  });

  it('analyses every file at every scale it defines without an error', () => {
    const problems: string[] = [];
    let builds = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const name = path.basename(f);
      if (!isUltralyticsYaml(text)) problems.push(`${name}: not recognised as an Ultralytics model YAML`);
      const scales = buildUltralyticsModel(text, name).scales;
      for (const scale of scales.length ? scales : [undefined]) {
        const model = buildUltralyticsModel(text, name, scale ? { scale } : {});
        builds++;
        const errors = model.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length || !model.summary)
          problems.push(`${name} ${scale ?? ''}: ${errors.map((d) => d.message).join('; ') || 'no summary'}`);
        if (model.rows.some((r) => r.outputShapes.length === 0)) problems.push(`${name} ${scale ?? ''}: a row without an output shape`);
        // The data flow is a DAG in forward order; every leaf but the DFL projection is called; names are unique.
        model.nodes.forEach((nd, k) => {
          for (const ref of nd.inputs) {
            if (ref.node >= k || ref.output >= model.nodes[ref.node]!.outputs.length)
              problems.push(`${name} ${scale}: node ${nd.name} reads a later or missing tensor`);
          }
        });
        const called = new Set(model.nodes.map((nd) => nd.module));
        const uncalled = model.leaves.filter((l) => !called.has(l.index)).map((l) => l.name);
        if (uncalled.some((n) => !n.endsWith('.dfl.conv'))) problems.push(`${name} ${scale}: leaves never called: ${uncalled.join(', ')}`);
        if (new Set(model.leaves.map((l) => l.name)).size !== model.leaves.length) problems.push(`${name} ${scale}: duplicate leaf names`);
        const rowSum = model.rows.reduce((a, r) => a + r.parameters, 0);
        if (model.summary && rowSum !== model.summary.parameters)
          problems.push(`${name} ${scale}: rows sum to ${rowSum}, summary ${model.summary.parameters}`);
      }
    }
    assert.ok(builds >= 35);
    assert.deepEqual(problems, []);
  });
});
