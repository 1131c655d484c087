// The JSON Schema of `*.cnn.yaml` files (schemas/cnn-model.schema.json), built from the core's
// layer registry so it cannot drift from what the analyzer accepts: YAML tooling that reads
// schemas (e.g. Red Hat YAML, through `yamlValidation`) then completes and checks the same keys.
// `node scripts/generate.mjs` writes the file; a unit test (test/unit/generated-files.test.ts) checks it is up to date.
// No vscode import.

import { kindsFor, type LayerKindDef, type ParamSchema } from '../../src/core';

/** YAML model files have PyTorch semantics: TensorFlow-only kinds are not theirs. */
const YAML_KINDS = kindsFor('pytorch');
import { DATASET_PRESETS } from '../../src/core/datasets';

type JsonSchema = Record<string, unknown>;

function intSchema(min: number | undefined): JsonSchema {
  return min === undefined ? { type: 'integer' } : { type: 'integer', minimum: min };
}

function pairSchema(min: number | undefined): JsonSchema[] {
  return [intSchema(min), { type: 'array', items: intSchema(min), minItems: 2, maxItems: 2 }];
}

function paramSchema(p: ParamSchema): JsonSchema {
  const description = p.defaultText ? `${p.doc} Default: ${p.defaultText}.` : p.doc;
  const base: JsonSchema = { description };
  if (p.default !== undefined) base.default = p.default;
  switch (p.type) {
    case 'int':
      return { ...base, ...intSchema(p.min) };
    case 'pair':
    case 'pool-padding':
      return { ...base, anyOf: pairSchema(p.min) };
    case 'padding':
      return { ...base, anyOf: [...pairSchema(p.min ?? 0), { enum: ['same', 'valid'] }] };
    case 'bool':
      return { ...base, type: 'boolean' };
    case 'number':
      return p.range ? { ...base, type: 'number', minimum: p.range[0], maximum: p.range[1] } : { ...base, type: 'number' };
    case 'output-size': {
      const item = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] };
      return {
        ...base,
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'array', items: item, minItems: 2, maxItems: 2 },
        ],
      };
    }
    case 'scale': {
      const positive = { type: 'number', exclusiveMinimum: 0 };
      return { ...base, anyOf: [positive, { type: 'array', items: positive, minItems: 2, maxItems: 2 }] };
    }
    case 'enum':
      return { ...base, enum: p.values ?? [] };
  }
}

function kindSchema(def: LayerKindDef): JsonSchema {
  const required = def.params.filter((p) => p.required).map((p) => p.name);
  return {
    description: `${def.torch}: ${def.doc}`,
    type: ['object', 'null'],
    properties: Object.fromEntries(def.params.map((p) => [p.name, paramSchema(p)])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

export function buildModelSchema(): JsonSchema {
  const kinds = YAML_KINDS.map((def) => def.kind);
  const layerProperties: Record<string, JsonSchema> = {
    name: { description: 'Layer name, used by `from` (default `<kind>_<index>`).', type: ['string', 'number'] },
    from: {
      description: 'Inputs by layer name (`input` is the model input). Without `from`, the previous layer.',
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
    },
  };
  for (const kind of kinds) layerProperties[kind] = { $ref: `#/definitions/kinds/${kind}` };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ConvLens CNN model (*.cnn.yaml)',
    description: 'A CNN as a list of layers with PyTorch semantics; ConvLens computes every output shape, parameter count and MAC count.',
    type: 'object',
    required: ['input', 'layers'],
    additionalProperties: false,
    properties: {
      name: { description: 'Model name.', type: 'string' },
      input: {
        description: 'Input shape [N, C, H, W] (PyTorch order) or [C, H, W], or a dataset preset.',
        anyOf: [
          { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 4 },
          {
            type: 'object',
            required: ['dataset'],
            additionalProperties: false,
            properties: {
              dataset: {
                enum: Object.keys(DATASET_PRESETS),
                markdownEnumDescriptions: Object.values(DATASET_PRESETS).map((p) => p.description),
              },
              size: {
                description: 'Image size [H, W], overriding the preset.',
                type: 'array',
                items: { type: 'integer', minimum: 1 },
                minItems: 2,
                maxItems: 2,
              },
            },
          },
        ],
      },
      layers: { description: 'The layers, in order.', type: 'array', items: { $ref: '#/definitions/layer' } },
    },
    definitions: {
      layer: {
        type: 'object',
        properties: layerProperties,
        additionalProperties: false,
        // Exactly one kind key per layer.
        oneOf: kinds.map((kind) => ({ required: [kind] })),
      },
      kinds: Object.fromEntries(YAML_KINDS.map((def) => [def.kind, kindSchema(def)])),
    },
  };
}

/** The file's exact text: 2-space JSON with a trailing newline. */
export function modelSchemaText(): string {
  return `${JSON.stringify(buildModelSchema(), null, 2)}\n`;
}
