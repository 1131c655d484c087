// The analyzer against real torchvision models: scripts/gen_fixtures.py traced each model, emitted
// test/fixtures/models/<name>.cnn.yaml and recorded, per layer, the output shape forward hooks saw
// on a real [1, 3, 224, 224] forward pass, the module's parameter count and its MACs by the
// contract's convention, plus the totals (checked there against torchvision's published figures).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeYaml } from '../../src/core';
import type { AnalysisResult } from '../../src/core';

interface ExpectedLayer {
  name: string;
  kind: string;
  output_shape: number[];
  params: number;
  macs: number;
}

interface ExpectedModel {
  name: string;
  source: string;
  input: number[];
  output_shape: number[];
  total_params: number;
  total_macs: number;
  layers: ExpectedLayer[];
}

const MODELS_DIR = path.join(__dirname, '../../../test/fixtures/models');
/** torchvision's published parameter counts; the fixtures must hold at least these two models. */
const PUBLISHED_PARAMS: Record<string, number> = { resnet18: 11_689_512, mobilenet_v2: 3_504_872 };
const MAX_REPORTED = 25;

const modelNames = fs
  .readdirSync(MODELS_DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

function load(name: string): { expected: ExpectedModel; result: AnalysisResult } {
  const expected = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, `${name}.expected.json`), 'utf8')) as ExpectedModel;
  const yamlText = fs.readFileSync(path.join(MODELS_DIR, `${name}.cnn.yaml`), 'utf8');
  return { expected, result: analyzeYaml(yamlText) };
}

function failWith(what: string, failures: string[]): void {
  if (failures.length === 0) return;
  const shown = failures.slice(0, MAX_REPORTED).join('\n  ');
  const more = failures.length > MAX_REPORTED ? `\n  ... and ${failures.length - MAX_REPORTED} more` : '';
  assert.fail(`${what}: ${failures.length} mismatches:\n  ${shown}${more}`);
}

describe('torchvision models vs PyTorch forward hooks', () => {
  it('fixtures include resnet18 and mobilenet_v2 with their published parameter counts', () => {
    for (const [name, params] of Object.entries(PUBLISHED_PARAMS)) {
      assert.ok(modelNames.includes(name), `no fixture for ${name}`);
      assert.equal(load(name).expected.total_params, params, name);
    }
  });

  for (const name of modelNames) {
    describe(name, () => {
      // Analyzed once per model; the `it`s below read the same result.
      let loaded: ReturnType<typeof load> | undefined;
      const get = (): ReturnType<typeof load> => (loaded ??= load(name));

      it('analyzes without error diagnostics', () => {
        const { result } = get();
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        failWith(
          `${name}: error diagnostics`,
          errors.map((d) => `${d.layer ?? '(model)'} ${d.code}: ${d.message}`),
        );
        assert.ok(result.model, `${name}: no model`);
      });

      it('every layer: name, kind, output shape, params and MACs', () => {
        const { expected, result } = get();
        const model = result.model;
        assert.ok(model, `${name}: no model`);
        const failures: string[] = [];
        if (model.layers.length !== expected.layers.length) {
          failures.push(`${model.layers.length} layers analyzed, ${expected.layers.length} expected`);
        }
        expected.layers.forEach((want, i) => {
          const got = model.layers[i];
          if (!got) return;
          const problems: string[] = [];
          if (got.name !== want.name) problems.push(`name ${got.name}`);
          if (got.kind !== want.kind) problems.push(`kind ${got.kind} vs ${want.kind}`);
          if (JSON.stringify(got.outputShape) !== JSON.stringify(want.output_shape)) {
            problems.push(`output shape ${JSON.stringify(got.outputShape)} vs torch ${JSON.stringify(want.output_shape)}`);
          }
          if (got.params !== BigInt(want.params)) problems.push(`params ${got.params} vs torch ${want.params}`);
          if (got.macs !== BigInt(want.macs)) problems.push(`MACs ${got.macs} vs torch-derived ${want.macs}`);
          if (problems.length > 0) failures.push(`layer ${i + 1} ${want.name} (${want.kind}): ${problems.join('; ')}`);
        });
        failWith(name, failures);
      });

      it('totals and output shape', () => {
        const { expected, result } = get();
        const model = result.model;
        assert.ok(model, `${name}: no model`);
        assert.deepEqual(model.input, expected.input, `${name}: input`);
        assert.deepEqual(model.outputShape, expected.output_shape, `${name}: output shape`);
        assert.equal(model.totalParams, BigInt(expected.total_params), `${name}: total params`);
        assert.equal(model.totalMacs, BigInt(expected.total_macs), `${name}: total MACs`);
      });
    });
  }
});
