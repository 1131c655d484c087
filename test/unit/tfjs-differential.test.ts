// Differential test against TensorFlow.js itself: a seeded generator writes random valid
// TensorFlow.js models as TypeScript source (sequential with a layers array, sequential with
// model.add, and functional models with residual adds, concatenations and unused branches). Each
// source is run for real with @tensorflow/tfjs-layers 4.22 on the CPU backend (this test runs its
// own generated code; ConvLens never runs anything), and analyzed statically by ConvLens. Every
// layer's output shape (NHWC, batch 1) and countParams() must agree, and so must the default
// layer names, the totals and the shape of a real forward pass.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { toDisplayShape, type AnalysisResult } from '../../src/core';
import { analyzeSource } from '../../src/core';
import { defaultLayerName, TF_CLASS_NAMES } from '../../src/core/frontends/tfjs/layers';

/* eslint-disable @typescript-eslint/no-explicit-any -- tfjs objects are used untyped here */
type TfLayer = { name: string; outputShape: (number | null)[] | (number | null)[][]; countParams(): number; getClassName(): string };
type TfModel = { layers: TfLayer[]; countParams(): number; predict(x: unknown): { shape: number[]; dispose(): void } };

const ROOT = path.join(__dirname, '../../..');
const MODEL_COUNT = 240;
const SEED = 0x5eed;

// tfjs-core prints a "use tfjs-node" banner on Node; keep the test output readable.
function loadTfjs(): { core: any; layers: any } {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    const core = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    const layers = require('@tensorflow/tfjs-layers');
    return { core, layers };
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/** mulberry32: small, seedable, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

interface Shape4 {
  rank: 4;
  h: number;
  w: number;
  c: number;
}
interface Shape2 {
  rank: 2;
  f: number;
}
type Shape = Shape4 | Shape2;

interface Construction {
  factory: string;
  explicitName: boolean;
}

interface GeneratedModel {
  index: number;
  form: 'sequential-array' | 'sequential-add' | 'functional';
  source: string;
  constructions: Construction[];
  input: [number, number, number];
}

const NO_CONFIG_OK = new Set([
  'flatten',
  'add',
  'concatenate',
  'batchNormalization',
  'reLU',
  'leakyReLU',
  'elu',
  'softmax',
  'zeroPadding2d',
]);
const ACTIVATIONS = [
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
  'linear',
  'softmax',
  'hardSigmoid',
];

/** Writes one model's TypeScript source while tracking the NHWC shape, so every model is valid. */
class ModelWriter {
  private readonly consts: string[] = [];
  readonly constructions: Construction[] = [];
  private constCount = 0;
  private layerCount = 0;

  constructor(
    private readonly rng: Rng,
    private readonly index: number,
  ) {}

  /** A number as a literal, a const, or a little arithmetic on one (all statically resolvable). */
  num(v: number): string {
    const r = this.rng.next();
    if (r < 0.15) {
      const name = `k${++this.constCount}`;
      this.consts.push(`const ${name} = ${v};`);
      return name;
    }
    if (r < 0.22 && v > 1) {
      const name = `half${++this.constCount}`;
      this.consts.push(`const ${name} = ${v * 2};`);
      return `${name} / 2`;
    }
    if (r < 0.27) return `(${v + 3} - 3)`;
    return String(v);
  }

  pair(v: number | [number, number]): string {
    if (typeof v === 'number') return this.num(v);
    const text = `[${this.num(v[0])}, ${this.num(v[1])}]`;
    return this.rng.chance(0.3) ? `${text} as const` : text;
  }

  /** `tf.layers.factory({...})`, recording the construction for TensorFlow's naming counters. */
  layer(factory: string, args: [string, string][]): string {
    const explicit = this.rng.chance(0.15);
    if (explicit) args.push(['name', `'m${this.index}_l${++this.layerCount}'`]);
    this.constructions.push({ factory, explicitName: explicit });
    const body = args.map(([k, v]) => `${k}: ${v}`).join(', ');
    // Only some factories may be called without a config: tfjs-layers 4.22 throws for the others.
    const bare = args.length === 0 && NO_CONFIG_OK.has(factory) && this.rng.chance(0.5);
    return `tf.layers.${factory}(${bare ? '' : `{${body}}`})`;
  }

  header(): string {
    return ["import * as tf from '@tensorflow/tfjs';", ...this.consts].join('\n');
  }

  /** A random shape-changing (or not) layer for a 4-D input; returns its text and output shape. */
  spatial(s: Shape4, first: boolean, inputArgs: [string, string][]): { text: string; out: Shape } {
    const rng = this.rng;
    const args: [string, string][] = first ? [...inputArgs] : [];
    const padding = rng.pick(['same', 'valid', undefined] as const);
    const same = padding === 'same';
    const writePadding = () => {
      if (padding) args.push(['padding', `'${padding}'`]);
    };
    const kernel = (max: number, dilation: [number, number] = [1, 1]): [number, number] => {
      const kh = rng.int(1, Math.max(1, Math.min(max, same ? max : Math.floor((s.h - 1) / dilation[0]) + 1)));
      const kw = rng.int(1, Math.max(1, Math.min(max, same ? max : Math.floor((s.w - 1) / dilation[1]) + 1)));
      return [kh, kw];
    };
    const written = (k: [number, number]) => (k[0] === k[1] && rng.chance(0.6) ? k[0] : k);
    const convOut = (n: number, k: number, st: number, d: number) =>
      same ? Math.ceil(n / st) : Math.floor((n - d * (k - 1) - 1) / st) + 1;
    const strides = (): [number, number] => (rng.chance(0.5) ? [1, 1] : rng.chance(0.7) ? [2, 2] : [rng.int(1, 3), rng.int(1, 3)]);
    const bias = () => {
      if (rng.chance(0.3)) args.push(['useBias', String(rng.chance(0.5))]);
    };
    const activation = () => {
      if (rng.chance(0.4)) args.push(['activation', `'${rng.pick(ACTIVATIONS)}'`]);
    };
    const choice = rng.pick([
      'conv2d',
      'conv2d',
      'conv2d',
      'depthwiseConv2d',
      'separableConv2d',
      'conv2dTranspose',
      'pool',
      'pool',
      'batchNormalization',
      'activation',
      'dropout',
      'zeroPadding2d',
      'upSampling2d',
      'standalone',
    ] as const);
    switch (choice) {
      case 'conv2d':
      case 'separableConv2d': {
        const st = strides();
        const dil: [number, number] = st[0] === 1 && st[1] === 1 && rng.chance(0.3) ? [rng.int(1, 2), rng.int(1, 2)] : [1, 1];
        const k = kernel(5, dil);
        const filters = rng.int(1, 8);
        writePadding();
        args.push(['filters', this.num(filters)], ['kernelSize', this.pair(written(k))]);
        if (st[0] !== 1 || st[1] !== 1 || rng.chance(0.3)) args.push(['strides', this.pair(written(st))]);
        if (dil[0] !== 1 || dil[1] !== 1) args.push(['dilationRate', this.pair(written(dil))]);
        if (choice === 'separableConv2d' && rng.chance(0.5)) args.push(['depthMultiplier', this.num(rng.int(1, 3))]);
        bias();
        activation();
        return {
          text: this.layer(choice, args),
          out: { rank: 4, h: convOut(s.h, k[0], st[0], dil[0]), w: convOut(s.w, k[1], st[1], dil[1]), c: filters },
        };
      }
      case 'depthwiseConv2d': {
        const st = strides();
        const k = kernel(4);
        const dm = s.c <= 6 ? rng.int(1, 3) : 1;
        writePadding();
        args.push(['kernelSize', this.pair(written(k))]);
        if (st[0] !== 1 || st[1] !== 1) args.push(['strides', this.pair(written(st))]);
        if (dm !== 1 || rng.chance(0.2)) args.push(['depthMultiplier', this.num(dm)]);
        bias();
        activation();
        return {
          text: this.layer('depthwiseConv2d', args),
          out: { rank: 4, h: convOut(s.h, k[0], st[0], 1), w: convOut(s.w, k[1], st[1], 1), c: s.c * dm },
        };
      }
      case 'conv2dTranspose': {
        const st: [number, number] = s.h <= 16 && s.w <= 16 && rng.chance(0.6) ? [2, 2] : [1, 1];
        const k: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
        const filters = rng.int(1, 6);
        writePadding();
        args.push(['filters', this.num(filters)], ['kernelSize', this.pair(written(k))]);
        if (st[0] !== 1 || rng.chance(0.3)) args.push(['strides', this.pair(written(st))]);
        bias();
        activation();
        const out = (n: number, kk: number, ss: number) => (same ? n * ss : n * ss + Math.max(kk - ss, 0));
        return {
          text: this.layer('conv2dTranspose', args),
          out: { rank: 4, h: out(s.h, k[0], st[0]), w: out(s.w, k[1], st[1]), c: filters },
        };
      }
      case 'pool': {
        const factory = rng.pick(['maxPooling2d', 'averagePooling2d', 'maxPool2d', 'avgPool2d', 'avgPooling2d']);
        writePadding();
        const k: [number, number] = rng.chance(0.3) && (same || (s.h >= 2 && s.w >= 2)) ? [2, 2] : kernel(3);
        const writtenK = rng.chance(0.3) && k[0] === 2 && k[1] === 2 ? undefined : written(k);
        if (writtenK !== undefined) args.push(['poolSize', this.pair(writtenK)]);
        const st: [number, number] | undefined = rng.chance(0.5) ? undefined : [rng.int(1, 3), rng.int(1, 3)];
        if (st) args.push(['strides', this.pair(written(st))]);
        const sst = st ?? k;
        return {
          text: this.layer(factory, args),
          out: { rank: 4, h: convOut(s.h, k[0], sst[0], 1), w: convOut(s.w, k[1], sst[1], 1), c: s.c },
        };
      }
      case 'batchNormalization':
        if (rng.chance(0.3)) args.push(['center', String(rng.chance(0.5))]);
        if (rng.chance(0.3)) args.push(['scale', String(rng.chance(0.5))]);
        if (rng.chance(0.2)) args.push(['epsilon', '1e-5'], ['momentum', '0.9']);
        if (rng.chance(0.2)) args.push(['axis', rng.pick(['-1', '3'])]);
        return { text: this.layer('batchNormalization', args), out: s };
      case 'activation':
        args.push(['activation', `'${rng.pick(ACTIVATIONS)}'`]);
        return { text: this.layer('activation', args), out: s };
      case 'dropout':
        args.push(['rate', rng.pick(['0.1', '0.25', '0.5'])]);
        return { text: this.layer('dropout', args), out: s };
      case 'zeroPadding2d': {
        const form = rng.int(0, 3);
        let p: [number, number, number, number];
        if (form === 0) p = [1, 1, 1, 1];
        else if (form === 1) {
          const v = rng.int(0, 2);
          args.push(['padding', this.num(v)]);
          p = [v, v, v, v];
        } else if (form === 2) {
          const [a, b] = [rng.int(0, 2), rng.int(0, 2)];
          args.push(['padding', `[${this.num(a)}, ${this.num(b)}]`]);
          p = [a, a, b, b];
        } else {
          p = [rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), rng.int(0, 2)];
          args.push(['padding', `[[${this.num(p[0])}, ${this.num(p[1])}], [${this.num(p[2])}, ${this.num(p[3])}]]`]);
        }
        return { text: this.layer('zeroPadding2d', args), out: { rank: 4, h: s.h + p[0] + p[1], w: s.w + p[2] + p[3], c: s.c } };
      }
      case 'upSampling2d': {
        const size: [number, number] = s.h > 20 || s.w > 20 ? [1, 1] : rng.chance(0.4) ? [2, 2] : [rng.int(1, 2), rng.int(1, 2)];
        // tfjs-layers reads size[0] and size[1]: only the array form works.
        if (!(size[0] === 2 && size[1] === 2) || rng.chance(0.5)) args.push(['size', this.pair(size)]);
        if (rng.chance(0.4)) args.push(['interpolation', `'${rng.pick(['nearest', 'bilinear'])}'`]);
        return { text: this.layer('upSampling2d', args), out: { rank: 4, h: s.h * size[0], w: s.w * size[1], c: s.c } };
      }
      case 'standalone': {
        const factory = rng.pick(['reLU', 'leakyReLU', 'elu', 'softmax']);
        if (factory === 'leakyReLU' && rng.chance(0.5)) args.push(['alpha', '0.1']);
        if (factory === 'reLU' && rng.chance(0.3)) args.push(['maxValue', '6']);
        // tf.layers.softmax defaults to axis 1, which tfjs cannot run on a 4-D tensor.
        if (factory === 'softmax') args.push(['axis', '-1']);
        return { text: this.layer(factory, args), out: s };
      }
    }
  }

  /** A layer for a 2-D [batch, features] input. */
  dense(s: Shape2 | Shape4, first: boolean, inputArgs: [string, string][]): { text: string; out: Shape } {
    const rng = this.rng;
    const args: [string, string][] = first ? [...inputArgs] : [];
    const choice =
      s.rank === 2 && !first ? rng.pick(['dense', 'dense', 'dense', 'batchNormalization', 'dropout', 'activation'] as const) : 'dense';
    if (choice === 'dense') {
      const units = rng.int(1, 16);
      args.push(['units', this.num(units)]);
      if (rng.chance(0.3)) args.push(['useBias', String(rng.chance(0.5))]);
      if (rng.chance(0.5)) args.push(['activation', `'${rng.pick(ACTIVATIONS)}'`]);
      const out: Shape = s.rank === 2 ? { rank: 2, f: units } : { ...s, c: units };
      return { text: this.layer('dense', args), out };
    }
    if (choice === 'batchNormalization') return { text: this.layer('batchNormalization', args), out: s };
    if (choice === 'dropout') return { text: this.layer('dropout', [...args, ['rate', '0.3']]), out: s };
    return { text: this.layer('activation', [...args, ['activation', `'${rng.pick(ACTIVATIONS)}'`]]), out: s };
  }

  /** Reduces a 4-D tensor to 2-D: flatten, or global pooling. */
  head(s: Shape4): { text: string; out: Shape2 } {
    const factory = this.rng.pick(['flatten', 'flatten', 'globalAveragePooling2d', 'globalMaxPooling2d', 'globalMaxPool2d']);
    return { text: this.layer(factory, []), out: { rank: 2, f: factory === 'flatten' ? s.h * s.w * s.c : s.c } };
  }

  inputArgs(h: number, w: number, c: number, functional: boolean): [string, string][] {
    const shape = `[${this.num(h)}, ${this.num(w)}, ${this.num(c)}]`;
    if (this.rng.chance(0.25))
      return [[functional ? 'batchShape' : 'batchInputShape', `[null, ${this.num(h)}, ${this.num(w)}, ${this.num(c)}]`]];
    return [[functional ? 'shape' : 'inputShape', shape]];
  }
}

function generateModel(rng: Rng, index: number): GeneratedModel {
  const writer = new ModelWriter(rng, index);
  const form = rng.pick(['sequential-array', 'sequential-add', 'functional'] as const);
  const input: [number, number, number] = [rng.int(6, 24), rng.int(6, 24), rng.int(1, 4)];
  const [h, w, c] = input;
  let shape: Shape = { rank: 4, h, w, c };
  const body: string[] = [];
  if (form !== 'functional') {
    const texts: string[] = [];
    const inputArgs = writer.inputArgs(h, w, c, false);
    const spatialCount = rng.int(1, 6);
    for (let i = 0; i < spatialCount && shape.rank === 4; i++) {
      const next = writer.spatial(shape, i === 0, inputArgs);
      texts.push(next.text);
      shape = next.out;
    }
    if (shape.rank === 4 && rng.chance(0.15)) {
      const next = writer.dense(shape, false, []);
      texts.push(next.text);
      shape = next.out;
    }
    if (shape.rank === 4) {
      const next = writer.head(shape);
      texts.push(next.text);
      shape = next.out;
    }
    const denseCount = rng.int(1, 3);
    for (let i = 0; i < denseCount; i++) {
      const next = writer.dense(shape, false, []);
      texts.push(next.text);
      shape = next.out;
    }
    if (form === 'sequential-array') {
      body.push(`export const model = tf.sequential({\n  layers: [\n    ${texts.join(',\n    ')},\n  ],\n});`);
    } else {
      body.push('export function build(): tf.Sequential {', '  const model = tf.sequential();');
      for (const t of texts) body.push(`  model.add(${t});`);
      body.push('  return model;', '}');
    }
  } else {
    body.push('export function build(): tf.LayersModel {');
    const inputArgs = writer.inputArgs(h, w, c, true);
    body.push(`  const input = tf.input({${inputArgs.map(([k, v]) => `${k}: ${v}`).join(', ')}});`);
    body.push('  let x = input;');
    const steps = rng.int(2, 7);
    let saved = 0;
    for (let i = 0; i < steps && shape.rank === 4; i++) {
      const s: Shape4 = shape;
      const r = rng.next();
      if (r < 0.25) {
        // Residual: a 'same' conv keeps the shape, then add or concatenate with the shortcut.
        const name = `s${++saved}`;
        body.push(`  const ${name} = x;`);
        const k = rng.int(1, 3);
        const conv = writer.layer('conv2d', [
          ['filters', writer.num(s.c)],
          ['kernelSize', writer.num(k)],
          ['padding', "'same'"],
        ]);
        body.push(`  x = ${conv}.apply(x) as tf.SymbolicTensor;`);
        if (rng.chance(0.5)) {
          body.push(`  x = ${writer.layer('add', [])}.apply([${name}, x]) as tf.SymbolicTensor;`);
        } else {
          const axis = rng.pick([undefined, -1, 3, 1, 2] as const);
          const args: [string, string][] = axis === undefined ? [] : [['axis', String(axis)]];
          body.push(`  x = ${writer.layer('concatenate', args)}.apply([${name}, x]) as tf.SymbolicTensor;`);
          shape = axis === 1 ? { ...s, h: s.h * 2 } : axis === 2 ? { ...s, w: s.w * 2 } : { ...s, c: s.c * 2 };
        }
        continue;
      }
      if (r < 0.32) {
        // A branch that is built but not part of the model (tf.model drops it; names still count).
        body.push(`  const unused${i} = ${writer.layer('dense', [['units', '3']])}.apply(x);`);
        continue;
      }
      const next = writer.spatial(s, false, []);
      body.push(`  x = ${next.text}.apply(x) as tf.SymbolicTensor;`);
      shape = next.out;
    }
    if (shape.rank === 4) {
      const next = writer.head(shape);
      body.push(`  x = ${next.text}.apply(x) as tf.SymbolicTensor;`);
      shape = next.out;
    }
    const next = writer.dense(shape, false, []);
    body.push(`  const output = ${next.text}.apply(x) as tf.SymbolicTensor;`);
    body.push(`  return tf.model({inputs: input, outputs: output});`, '}');
  }
  const source = `${writer.header()}\n\n${body.join('\n')}\n`;
  return { index, form, source, constructions: writer.constructions, input };
}

/** Runs generated TypeScript for real: transpiled to CommonJS, '@tensorflow/tfjs' = tfjs-core + tfjs-layers. */
function runForReal(source: string, tf: any): TfModel {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const exports: Record<string, unknown> = {};
  const fakeRequire = (id: string) => {
    if (id !== '@tensorflow/tfjs') throw new Error(`unexpected require ${id}`);
    return tf;
  };
  new Function('require', 'exports', js)(fakeRequire, exports);
  const build = exports.build as (() => TfModel) | undefined;
  return build ? build() : (exports.model as TfModel);
}

function analyze(source: string, fileName = 'model.ts'): AnalysisResult {
  return analyzeSource(fileName, source, () => ts);
}

function nhwc(shape: (number | null)[]): number[] {
  return shape.map((d) => d ?? 1);
}

/** Builds one model for real and compares it with the static analysis of its source. */
function compareModel(
  generated: GeneratedModel,
  tf: any,
  core: any,
  offsets: Map<string, number>,
): { failures: string[]; compared: number } {
  const failures: string[] = [];
  let compared = 0;
  let tfModel: TfModel;
  try {
    tfModel = runForReal(generated.source, tf);
  } catch (error) {
    return { failures: [`the generator wrote a model tfjs refuses: ${(error as Error).message}`], compared };
  }
  const result = analyze(generated.source);
  const errors = result.diagnostics.filter((d) => d.severity === 'error' || d.code === 'ts.unresolved');
  if (errors.length > 0) return { failures: [`diagnostics: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`], compared };
  const model = result.model;
  if (!model) return { failures: ['no model'], compared };
  // TensorFlow's name counters are per process; ConvLens numbers a file from 1.
  const staticName = (tfName: string, className: string) => {
    const match = new RegExp(`^(.*_${className})(\\d+)$`).exec(tfName);
    return match ? defaultLayerName(className, Number(match[2]) - (offsets.get(className) ?? 0)) : tfName;
  };
  const tfLayers = tfModel.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const ours = model.layers.filter((l) => !l.name.includes('/'));
  if (ours.length !== tfLayers.length)
    failures.push(
      `${ours.length} layers, tfjs has ${tfLayers.length}: ${ours.map((l) => l.name).join(', ')} vs ${tfLayers.map((l) => l.name).join(', ')}`,
    );
  for (const tfLayer of tfLayers) {
    const name = staticName(tfLayer.name, tfLayer.getClassName());
    const layer = model.byName.get(name);
    compared++;
    if (!layer) {
      failures.push(`no layer ${name} (tfjs ${tfLayer.name})`);
      continue;
    }
    const expected = nhwc(tfLayer.outputShape as (number | null)[]);
    const actual = toDisplayShape(model, layer.outputShape);
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      failures.push(`${name}: shape ${JSON.stringify(actual)}, tfjs ${JSON.stringify(expected)}`);
    if (Number(layer.params) !== tfLayer.countParams()) failures.push(`${name}: ${layer.params} params, tfjs ${tfLayer.countParams()}`);
  }
  if (Number(model.totalParams) !== tfModel.countParams())
    failures.push(`total params ${model.totalParams}, tfjs ${tfModel.countParams()}`);
  const [h, w, c] = generated.input;
  const x = core.zeros([1, h, w, c]);
  try {
    const y = tfModel.predict(x);
    const output = JSON.stringify(toDisplayShape(model, model.outputShape));
    if (output !== JSON.stringify(y.shape)) failures.push(`output ${output}, forward pass ${JSON.stringify(y.shape)}`);
    y.dispose();
  } catch (error) {
    failures.push(`tfjs cannot run the generated model: ${(error as Error).message}`);
  } finally {
    x.dispose();
  }
  return { failures, compared };
}

describe('TensorFlow.js differential: static analysis vs tfjs-layers 4.22', function () {
  this.timeout(600_000);
  let tf: any;
  let core: any;

  before(async () => {
    const loaded = loadTfjs();
    core = loaded.core;
    tf = { ...loaded.core, ...loaded.layers };
    core.env().set('IS_TEST', true); // no "install tfjs-node" banner
    await core.setBackend('cpu');
  });

  it(`agrees with tfjs on ${MODEL_COUNT} random models: every layer's shape and countParams(), names, totals and a real forward pass`, () => {
    const rng = prng(SEED);
    /** Default-named constructions per class in earlier models (tfjs counts per process). */
    const offsets = new Map<string, number>();
    const failures: string[] = [];
    const forms = new Map<string, number>();
    const factories = new Set<string>();
    let layersCompared = 0;
    for (let i = 0; i < MODEL_COUNT; i++) {
      const generated = generateModel(rng, i);
      forms.set(generated.form, (forms.get(generated.form) ?? 0) + 1);
      for (const c of generated.constructions) factories.add(c.factory);
      const problems = compareModel(generated, tf, core, offsets);
      layersCompared += problems.compared;
      for (const problem of problems.failures) failures.push(`model ${i} (${generated.form}): ${problem}\n${generated.source}`);
      for (const c of generated.constructions) {
        if (c.explicitName) continue;
        const className = TF_CLASS_NAMES[c.factory]!;
        offsets.set(className, (offsets.get(className) ?? 0) + 1);
      }
    }
    assert.ok(failures.length === 0, `${failures.length} mismatches:\n${failures.slice(0, 5).join('\n\n')}`);
    assert.ok(layersCompared > MODEL_COUNT * 4, `only ${layersCompared} layers compared`);
    for (const form of ['sequential-array', 'sequential-add', 'functional'])
      assert.ok((forms.get(form) ?? 0) >= 40, `too few ${form} models`);
    const wanted = [
      'conv2d',
      'depthwiseConv2d',
      'separableConv2d',
      'conv2dTranspose',
      'maxPooling2d',
      'averagePooling2d',
      'globalAveragePooling2d',
      'globalMaxPooling2d',
      'batchNormalization',
      'activation',
      'dense',
      'flatten',
      'dropout',
      'add',
      'concatenate',
      'zeroPadding2d',
      'upSampling2d',
    ];
    assert.deepEqual(
      wanted.filter((f) => !factories.has(f)),
      [],
      'layer kinds never generated',
    );
  });

  it('mirrors default names exactly in a fresh process (the first generated model and the MNIST example)', () => {
    const sources = [generateModel(prng(SEED), 0).source, fs.readFileSync(path.join(ROOT, 'examples/mnist-tfjs.ts'), 'utf8')];
    for (const source of sources) {
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
      }).outputText;
      // A new Node process: tfjs-layers' name counters start from zero, as for a user's program.
      const child = `
        const warn = console.warn; console.warn = () => {}; const log = console.log; console.log = () => {};
        const core = require('@tensorflow/tfjs-core'); require('@tensorflow/tfjs-backend-cpu'); core.env().set('IS_TEST', true);
        const tf = { ...core, ...require('@tensorflow/tfjs-layers') };
        console.warn = warn; console.log = log;
        const exports = {};
        new Function('require', 'exports', require('fs').readFileSync(0, 'utf8'))((id) => tf, exports);
        const model = exports.build ? exports.build() : exports.getModel ? exports.getModel() : exports.model;
        process.stdout.write(JSON.stringify(model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => [l.name, l.outputShape, l.countParams()])));`;
      const out = execFileSync(process.execPath, ['-e', child], { input: js, cwd: ROOT, encoding: 'utf8' });
      const tfLayers = JSON.parse(out) as [string, (number | null)[], number][];
      const model = analyze(source).model!;
      const ours = model.layers
        .filter((l) => !l.name.includes('/'))
        .map((l) => [l.name, toDisplayShape(model, l.outputShape), Number(l.params)]);
      assert.deepEqual(
        ours,
        tfLayers.map(([name, shape, params]) => [name, nhwc(shape), params]),
      );
    }
  });
});
