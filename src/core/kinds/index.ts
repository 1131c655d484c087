// The layer registry: every kind the contract defines. Adding a kind = one folder (def.ts and
// kernel.ts), one line here and one in ./kernels.ts, then `node scripts/generate.mjs`.

import { activations, tfActivations } from './activations/def';
import { adaptiveAvgpool2d, adaptiveMaxpool2d } from './adaptive_pool2d/def';
import { add } from './add/def';
import { avgpool2d } from './avgpool2d/def';
import { batchnorm2d } from './batchnorm2d/def';
import { channelShuffle } from './channel_shuffle/def';
import { pixelShuffle } from './pixel_shuffle/def';
import { chunk } from './chunk/def';
import { concat } from './concat/def';
import { conv2d } from './conv2d/def';
import { convTranspose2d } from './conv_transpose2d/def';
import { dropout } from './dropout/def';
import { flatten } from './flatten/def';
import { layerNorm2d } from './layer_norm2d/def';
import { linear } from './linear/def';
import { maxpool2d } from './maxpool2d/def';
import { mul } from './mul/def';
import { depthwiseConv2d } from './depthwise_conv2d/def';
import { globalAvgpool2d, globalMaxpool2d } from './global_pool2d/def';
import { separableConv2d } from './separable_conv2d/def';
import { split } from './split/def';
import { stochasticDepth } from './stochastic_depth/def';
import { tfBatchnorm } from './tf_batchnorm/def';
import { tfConvTranspose2d } from './tf_conv_transpose2d/def';
import { tfAvgpool2d, tfMaxpool2d } from './tf_pool2d/def';
import { unresolved } from './unresolved/def';
import { zeroPadding2d } from './zero_padding2d/def';
import type { Framework } from '../types';
import type { LayerKindDef, ParamSpec } from './types';
import type { AnalyzedLayer } from '../analyze/analysis-types';
import { upsample } from './upsample/def';

export const KINDS = [
  conv2d,
  convTranspose2d,
  maxpool2d,
  avgpool2d,
  adaptiveAvgpool2d,
  adaptiveMaxpool2d,
  batchnorm2d,
  ...activations,
  dropout,
  flatten,
  linear,
  add,
  mul,
  concat,
  chunk,
  split,
  channelShuffle,
  pixelShuffle,
  stochasticDepth,
  layerNorm2d,
  upsample,
  depthwiseConv2d,
  separableConv2d,
  tfConvTranspose2d,
  tfMaxpool2d,
  tfAvgpool2d,
  globalAvgpool2d,
  globalMaxpool2d,
  zeroPadding2d,
  tfBatchnorm,
  ...tfActivations,
  unresolved,
] as const;

/** The name of every kind: KERNELS must have an entry for each. */
export type KindName = (typeof KINDS)[number]['kind'];

/** The kind definition named K. */
export type KindOf<K extends KindName> = Extract<(typeof KINDS)[number], { kind: K }>;

/** The registry as a list of any kind (completion, schemas, generators). */
export const LAYER_KINDS: readonly LayerKindDef[] = KINDS;

const BY_KIND = new Map(LAYER_KINDS.map((def) => [def.kind, def]));

/**
 * The parameter tensors (and buffers) of an analyzed layer, from its kind's definition: what the
 * engine allocates and what a weights file must hold. Empty for kinds without tensors.
 */
export function paramTensorsOf(layer: Pick<AnalyzedLayer, 'kind' | 'attrs' | 'inputShapes'>): ParamSpec[] {
  return (
    BY_KIND.get(layer.kind)?.paramTensors?.(
      layer.attrs,
      layer.inputShapes.map((s) => s ?? []),
    ) ?? []
  );
}

/** The kind's definition; with a framework, only if files of that framework may use it. */
export function getLayerKind(kind: string, framework?: Framework): LayerKindDef | undefined {
  const def = BY_KIND.get(kind);
  if (!def || framework === undefined || !def.frameworks || def.frameworks.includes(framework)) return def;
  return undefined;
}

/** The kinds a file of this framework may use (completion, "did you mean"). */
export function kindsFor(framework: Framework): LayerKindDef[] {
  return LAYER_KINDS.filter((def) => !def.frameworks || def.frameworks.includes(framework));
}

export type { KindDef, LayerKindDef, ParamSchema, ParamSpec, ParamType } from './types';
