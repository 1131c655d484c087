// The layer registry: every kind the contract defines. Adding a kind = one file + one line here.

import { activations } from './activations';
import { adaptiveAvgpool2d, adaptiveMaxpool2d } from './adaptive-pool';
import { add } from './add';
import { avgpool2d } from './avgpool2d';
import { batchnorm2d } from './batchnorm2d';
import { concat } from './concat';
import { conv2d } from './conv2d';
import { convTranspose2d } from './conv-transpose2d';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { linear } from './linear';
import { maxpool2d } from './maxpool2d';
import { depthwiseConv2d } from './depthwise-conv2d';
import { globalAvgpool2d, globalMaxpool2d } from './global-pool2d';
import { separableConv2d } from './separable-conv2d';
import { tfActivations } from './tf-activations';
import { tfBatchnorm } from './tf-batchnorm';
import { tfConvTranspose2d } from './tf-conv-transpose2d';
import { tfAvgpool2d, tfMaxpool2d } from './tf-pool2d';
import { unresolved } from './unresolved';
import { zeroPadding2d } from './zero-padding2d';
import type { Framework } from '../types';
import type { LayerKindDef } from './types';
import { upsample } from './upsample';

export const LAYER_KINDS: readonly LayerKindDef[] = [
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
  concat,
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
];

const BY_KIND = new Map(LAYER_KINDS.map((def) => [def.kind, def]));

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

export type { LayerKindDef, ParamSchema, ParamType } from './types';
