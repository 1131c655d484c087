// The analyzer against PyTorch on single layers: every case in test/fixtures/geometry.json was
// built and run in torch by scripts/gen_fixtures.py, which recorded torch's output shape and
// parameter count (and conv2d MACs from the torch tensors' shapes), or torch's error.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeYaml } from '../../src/core';

type TorchAnswer = { output_shape: number[]; params: number; macs?: number } | { error: string };

interface GeometryCase {
  id: number;
  group: string;
  input: number[];
  kind: string;
  /** The layer's parameters in the YAML spelling of docs/model-format.md. */
  parameters: Record<string, unknown>;
  torch: TorchAnswer;
}

interface GeometryFixture {
  torch_version: string;
  seed: number;
  count: number;
  cases: GeometryCase[];
}

const FIXTURE_PATH = path.join(__dirname, '../../../test/fixtures/geometry.json');
const PROBE = 'probe';
/** Mismatches quoted in a failure message; the rest are only counted. */
const MAX_REPORTED = 25;

const fixture = JSON.parse(fs.readFileSync(FIXTURE_PATH, 'utf8')) as GeometryFixture;

/** A one-layer model; JSON flow mappings are valid YAML, so the parameters go in verbatim. */
function yamlForCase(c: GeometryCase): string {
  return [`input: ${JSON.stringify(c.input)}`, 'layers:', `  - name: ${PROBE}`, `    ${c.kind}: ${JSON.stringify(c.parameters)}`, ''].join(
    '\n',
  );
}

function describeCase(c: GeometryCase): string {
  return `#${c.id} input ${JSON.stringify(c.input)} ${c.kind} ${JSON.stringify(c.parameters)}`;
}

/** Null when the analyzer agrees with torch, otherwise what differs. */
function compareWithTorch(c: GeometryCase): string | null {
  const result = analyzeYaml(yamlForCase(c));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const quoted = errors.map((d) => `${d.code}: ${d.message}`).join(' | ');
  const layer = result.model?.byName.get(PROBE) ?? result.model?.layers[0];
  if (!result.model || !layer) {
    return `no analyzed layer (diagnostics: ${quoted || 'none'})`;
  }
  const torch = c.torch;
  if ('error' in torch) {
    const problems: string[] = [];
    if (errors.length === 0) problems.push('no error diagnostic');
    if (layer.outputShape !== null) problems.push(`output shape ${JSON.stringify(layer.outputShape)} instead of null`);
    return problems.length ? `torch raises "${torch.error}"; analyzer: ${problems.join(', ')}` : null;
  }
  const problems: string[] = [];
  if (errors.length > 0) problems.push(`error diagnostics [${quoted}]`);
  if (JSON.stringify(layer.outputShape) !== JSON.stringify(torch.output_shape)) {
    problems.push(`output shape ${JSON.stringify(layer.outputShape)} vs torch ${JSON.stringify(torch.output_shape)}`);
  }
  if (layer.params !== BigInt(torch.params)) {
    problems.push(`params ${layer.params} vs torch ${torch.params}`);
  }
  if (torch.macs !== undefined && layer.macs !== BigInt(torch.macs)) {
    problems.push(`MACs ${layer.macs} vs torch-derived ${torch.macs}`);
  }
  return problems.length ? problems.join('; ') : null;
}

function groupsInOrder(cases: GeometryCase[]): Map<string, GeometryCase[]> {
  const groups = new Map<string, GeometryCase[]>();
  for (const c of cases) {
    const list = groups.get(c.group) ?? [];
    list.push(c);
    groups.set(c.group, list);
  }
  return groups;
}

describe(`geometry fixtures vs PyTorch ${fixture.torch_version}`, () => {
  it('the fixture is complete: ≥ 1200 cases, valid and invalid ones, every kind', () => {
    assert.equal(fixture.cases.length, fixture.count);
    assert.ok(fixture.cases.length >= 1200, `only ${fixture.cases.length} cases`);
    const errors = fixture.cases.filter((c) => 'error' in c.torch).length;
    assert.ok(errors >= 150 && errors < fixture.cases.length / 2, `${errors} error cases`);
    const kinds = new Set(fixture.cases.map((c) => c.kind));
    for (const kind of ['conv2d', 'conv_transpose2d', 'maxpool2d', 'avgpool2d', 'adaptive_avgpool2d', 'adaptive_maxpool2d']) {
      assert.ok(kinds.has(kind), `no ${kind} case`);
    }
  });

  for (const [group, cases] of groupsInOrder(fixture.cases)) {
    const errorCount = cases.filter((c) => 'error' in c.torch).length;
    it(`${group}: ${cases.length} configs (${errorCount} torch errors)`, () => {
      const failures: string[] = [];
      for (const c of cases) {
        let problem: string | null;
        try {
          problem = compareWithTorch(c);
        } catch (e) {
          problem = `analyzer threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
        }
        if (problem !== null) failures.push(`${describeCase(c)}: ${problem}`);
      }
      if (failures.length > 0) {
        const shown = failures.slice(0, MAX_REPORTED).join('\n  ');
        const more = failures.length > MAX_REPORTED ? `\n  ... and ${failures.length - MAX_REPORTED} more` : '';
        assert.fail(`${failures.length} of ${cases.length} configs disagree with torch:\n  ${shown}${more}`);
      }
    });
  }
});
