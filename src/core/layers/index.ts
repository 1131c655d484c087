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
];

const BY_KIND = new Map(LAYER_KINDS.map((def) => [def.kind, def]));

export function getLayerKind(kind: string): LayerKindDef | undefined {
  return BY_KIND.get(kind);
}

export type { LayerKindDef, ParamSchema, ParamType } from './types';
