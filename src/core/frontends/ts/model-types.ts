// Generates `types/convlens-model.d.ts`, the ModelSpec type `*.cnn.ts` files import, from the
// layer registry: one parameter interface per kind with the registry's docs and defaults as JSDoc,
// and a layer union that allows exactly one kind key per layer. TypeScript itself then checks and
// completes model files. test/unit/ts-model-types.test.ts keeps the shipped file in sync.

import type { LayerKindDef, ParamSchema } from '../../kinds/types';

/** Kinds the front ends emit internally; a model file never names them. */
const INTERNAL_KINDS = new Set(['unresolved']);

function pascal(kind: string): string {
  return kind
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function paramType(schema: ParamSchema): string {
  switch (schema.type) {
    case 'int':
    case 'number':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'pair':
    case 'pool-padding':
      return 'Pair';
    case 'padding':
      return 'Padding';
    case 'output-size':
      return 'OutputSize';
    case 'scale':
      return 'Scale';
    case 'enum':
      return (schema.values ?? []).map((v) => `'${v}'`).join(' | ') || 'string';
  }
}

function defaultText(schema: ParamSchema): string | undefined {
  if (schema.defaultText) return schema.defaultText;
  if (schema.default === undefined) return undefined;
  return typeof schema.default === 'string' ? `'${schema.default}'` : JSON.stringify(schema.default);
}

function jsdoc(parts: string[], indent: string): string {
  const text = parts
    .filter((p) => p.length > 0)
    .join(' ')
    .replace(/\*\//g, '*\\/');
  return `${indent}/** ${text} */\n`;
}

function paramsInterface(def: LayerKindDef): string {
  const name = `${pascal(def.kind)}Params`;
  if (def.params.length === 0)
    return `${jsdoc([`\`${def.kind}\` takes no parameters: write \`${def.kind}: {}\`.`], '')}export type ${name} = NoParams;\n`;
  const members = def.params.map((p) => {
    const dflt = defaultText(p);
    const doc = jsdoc([p.doc, p.required ? 'Required.' : dflt !== undefined ? `Default: ${dflt}.` : ''], '  ');
    return `${doc}  ${p.name}${p.required ? '' : '?'}: ${paramType(p)};`;
  });
  return `${jsdoc([`Parameters of \`${def.kind}\` (${def.torch}).`], '')}export interface ${name} {\n${members.join('\n')}\n}\n`;
}

/** The whole `.d.ts` text for the given registry and dataset preset names. */
export function generateModelTypes(kinds: readonly LayerKindDef[], datasets: readonly string[]): string {
  const defs = kinds.filter((k) => !INTERNAL_KINDS.has(k.kind));
  const out: string[] = [];
  out.push(`// ConvLens model files in TypeScript (\`*.cnn.ts\`): the ModelSpec type.
//
// GENERATED from the layer registry (src/core/kinds) by src/core/frontends/ts/model-types.ts; do not
// edit. After adding a layer kind, regenerate with:
//   node scripts/generate.mjs
//
// Usage (ConvLens reads the file statically and never runs it):
//
//   import type { ModelSpec } from './convlens-model';   // a relative path to this file
//   export default {
//     name: 'tiny',
//     input: [1, 3, 32, 32],
//     layers: [{ name: 'conv1', conv2d: { out_channels: 16, kernel_size: 3, padding: 1 } }, { relu: {} }],
//   } satisfies ModelSpec;
`);
  out.push(`/** \`k\` or \`[kh, kw]\`. */
export type Pair = number | readonly [number, number];
/** Zero padding per side (\`p\` or \`[ph, pw]\`), or 'same' / 'valid'. */
export type Padding = Pair | 'same' | 'valid';
/** \`k\` or \`[h, w]\`; null keeps that input dimension. */
export type OutputSize = number | readonly [number | null, number | null];
/** \`s\` or \`[sh, sw]\`, positive numbers. */
export type Scale = number | readonly [number, number];
/** A kind without parameters: \`{}\`. */
export type NoParams = { readonly [key: string]: never };
`);
  for (const def of defs) out.push(paramsInterface(def));
  out.push(`/** Every layer kind and its parameters. */
export interface LayerKinds {
${defs.map((def) => `${jsdoc([def.doc, `(${def.torch})`], '  ')}  ${def.kind}: ${pascal(def.kind)}Params;`).join('\n')}
}

export type LayerKind = keyof LayerKinds;

/** What every layer may have besides its kind. */
export interface LayerCommon {
  /** Unique name, for \`from\` references; default \`<kind>_<index>\` (index from 1). */
  name?: string;
  /** Input layer names (\`'input'\` is the model input); default: the previous layer. */
  from?: string | readonly string[];
}

/** One layer: exactly one kind key with its parameters, plus optional name and from. */
export type Layer = {
  [K in LayerKind]: LayerCommon & Pick<LayerKinds, K> & { [Other in Exclude<LayerKind, K>]?: never };
}[LayerKind];

/** Dataset presets for \`input: {dataset}\`. */
export type DatasetName = ${datasets.map((d) => `'${d}'`).join(' | ')};

/** [N, C, H, W] or [C, H, W] (N = 1), or a dataset preset's typical image size. */
export type InputShape =
  | readonly [number, number, number, number]
  | readonly [number, number, number]
  | { dataset: DatasetName; /** [H, W], overriding the preset's size. */ size?: readonly [number, number] };

/** A ConvLens model: the same structure as a \`*.cnn.yaml\` file. */
export interface ModelSpec {
  name?: string;
  input: InputShape;
  layers: readonly Layer[];
}
`);
  return out.join('\n');
}
