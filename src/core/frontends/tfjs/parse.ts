// The TensorFlow.js front end: finds the model a file builds with `tf.sequential({layers})`,
// `model.add(tf.layers.X({...}))` or functional chains (`tf.input`, `layer.apply(x)`, `tf.model`)
// and turns it into a ModelSpec with TensorFlow semantics. It follows the straight-line code that
// builds the model, statically: calls are recognized, never run (see ./evaluate.ts).

import type * as TS from 'typescript';
import { INPUT_NAME } from '../../analyze/analyzer';
import type { Diagnostic, InputSpec, LayerRef, LayerSpec, ModelSpec, ParseResult } from '../../types';
import { unresolvedDiagnostic } from '../ts/diagnostics';
import {
  Evaluator,
  getProperty,
  isArrayValue,
  isHostValue,
  isObjectValue,
  isUnresolved,
  toPlain,
  type ObjectProperty,
  type ObjectValue,
  type Unresolved,
  type Value,
} from '../ts/evaluate';
import type { TsSource } from '../ts/source';
import { layerSpecs, placeholderSpec, type LayerHost } from './layer-specs';
import { defaultLayerName, TF_CLASS_NAMES } from './layers';

/** A symbolic tensor: the output of a layer (by spec name) or the model input. */
interface TensorHost {
  type: 'tensor';
  producer: string;
}

type SequentialEntry =
  | { type: 'layer'; layer: LayerHost; at: TS.Node }
  | { type: 'unknown'; unresolved: Unresolved; at: TS.Node; what: string; consequence?: string };

interface SequentialHost {
  type: 'sequential';
  call: TS.CallExpression;
  entries: SequentialEntry[];
}

interface FunctionalHost {
  type: 'functional';
  call: TS.CallExpression;
  outputs: Value;
}

type Host = LayerHost | TensorHost | SequentialHost | FunctionalHost;

type ApiCall = { api: 'layer'; factory: string; factoryNode: TS.Node } | { api: 'sequential' | 'model' | 'input' };

const TFJS_MODULE = /^@tensorflow\/tfjs(-layers|-node|-node-gpu)?$/;

/** Whether a file looks like TensorFlow.js layers code, without parsing it (cheap). */
export function looksLikeTfjs(text: string): boolean {
  return /@tensorflow\/tfjs/.test(text) || /\btf\s*\.\s*(?:layers\s*\.|sequential\s*\(|model\s*\()/.test(text);
}

class TfjsFrontEnd {
  readonly evaluator: Evaluator;
  private readonly ts: TsSource['ts'];
  private readonly defaultNames = new Map<TS.CallExpression, string>();
  /** Layers of functional models, in the order they are applied. */
  private readonly applied: LayerSpec[] = [];
  private input?: InputSpec;
  private inputSeen = false;
  private placeholderCount = 0;

  constructor(
    readonly source: TsSource,
    readonly diagnostics: Diagnostic[],
  ) {
    this.ts = source.ts;
    this.evaluator = new Evaluator(source, { call: (node) => this.call(node) });
  }

  parse(): ParseResult {
    const calls = this.callsInOrder();
    this.assignDefaultNames(calls);
    const models = calls.filter((c) => {
      const api = this.classify(c);
      return api?.api === 'sequential' || api?.api === 'model';
    });
    const modelCall = models[0];
    if (!modelCall) return { diagnostics: this.diagnostics };
    for (const other of models.slice(1)) {
      this.diagnostics.push({
        severity: 'info',
        code: 'tfjs.multiple-models',
        message: `ConvLens analyzes the first model in a file (line ${this.source.range(modelCall).start.line + 1}); this one is not analyzed`,
        range: this.source.range(other.expression),
      });
    }
    this.interpret(enclosingStatements(this.ts, modelCall));
    const model = this.evaluator.evaluate(modelCall);
    const spec: ModelSpec = { framework: 'tfjs', layers: [], range: this.source.offsets(0, this.source.text.length) };
    const host = isHostValue(model) ? (model.host as Host) : undefined;
    const config = modelCall.arguments[0] ? this.evaluator.evaluate(modelCall.arguments[0]) : undefined;
    if (isObjectValue(config)) {
      const name = getProperty(config, 'name');
      const value = name && !('kind' in name) ? name.value() : undefined;
      if (typeof value === 'string') spec.name = value;
    }
    if (host?.type === 'sequential') this.buildSequential(host, spec);
    else if (host?.type === 'functional') this.buildFunctional(host, spec);
    spec.layers.forEach((layer, index) => (layer.index = index));
    return { model: spec, diagnostics: this.diagnostics };
  }

  // ---- recognizing the TensorFlow.js API ----------------------------------------------------

  private callsInOrder(): TS.CallExpression[] {
    const ts = this.ts;
    const calls: TS.CallExpression[] = [];
    const visit = (node: TS.Node) => {
      if (ts.isCallExpression(node)) calls.push(node);
      ts.forEachChild(node, visit);
    };
    visit(this.source.file);
    return calls.sort((a, b) => a.getStart(this.source.file) - b.getStart(this.source.file));
  }

  /** TensorFlow numbers default names per class, in construction order (tfjs-layers' getUid). */
  private assignDefaultNames(calls: TS.CallExpression[]) {
    const counts = new Map<string, number>();
    for (const call of calls) {
      const api = this.classify(call);
      if (api?.api !== 'layer') continue;
      const className = TF_CLASS_NAMES[api.factory] ?? api.factory.charAt(0).toUpperCase() + api.factory.slice(1);
      if (api.factory === 'inputLayer' || this.hasExplicitName(call)) continue;
      const count = (counts.get(className) ?? 0) + 1;
      counts.set(className, count);
      this.defaultNames.set(call, defaultLayerName(className, count));
    }
  }

  private hasExplicitName(call: TS.CallExpression): boolean {
    const arg = call.arguments[0];
    if (!arg) return false;
    const config = this.evaluator.evaluate(arg);
    if (!isObjectValue(config)) return false;
    const name = getProperty(config, 'name');
    if (!name || 'kind' in name) return false;
    const value = name.value();
    return !(value === undefined || value === null || value === '');
  }

  private isTfNamespace(id: TS.Identifier): boolean {
    const imported = this.evaluator.importedModule(id);
    if (imported) return TFJS_MODULE.test(imported.module) && (imported.imported === undefined || imported.imported === 'default');
    const decl = this.evaluator.findDeclaration(id);
    return id.text === 'tf' && (decl === undefined || decl.kind === 'parameter');
  }

  private isTfExport(id: TS.Identifier, name: string): boolean {
    const imported = this.evaluator.importedModule(id);
    return imported !== undefined && TFJS_MODULE.test(imported.module) && imported.imported === name;
  }

  classify(call: TS.CallExpression): ApiCall | undefined {
    const ts = this.ts;
    let callee: TS.Expression = call.expression;
    while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const member = callee.name.text;
      const object = callee.expression;
      if (
        ts.isPropertyAccessExpression(object) &&
        object.name.text === 'layers' &&
        ts.isIdentifier(object.expression) &&
        this.isTfNamespace(object.expression)
      ) {
        return { api: 'layer', factory: member, factoryNode: callee.name };
      }
      if (ts.isIdentifier(object) && this.isTfExport(object, 'layers')) return { api: 'layer', factory: member, factoryNode: callee.name };
      if (ts.isIdentifier(object) && (member === 'sequential' || member === 'model' || member === 'input') && this.isTfNamespace(object))
        return { api: member };
      return undefined;
    }
    if (ts.isIdentifier(callee)) {
      for (const api of ['sequential', 'model', 'input'] as const) if (this.isTfExport(callee, api)) return { api };
    }
    return undefined;
  }

  // ---- evaluation hook ----------------------------------------------------------------------

  private host(node: TS.Node, host: Host): Value {
    return { kind: 'host', node, host };
  }

  private call(node: TS.CallExpression): Value | undefined {
    const ts = this.ts;
    const api = this.classify(node);
    if (api?.api === 'layer') {
      return this.host(node, {
        type: 'layer',
        call: node,
        factory: api.factory,
        factoryNode: api.factoryNode,
        defaultName: this.defaultNames.get(node) ?? api.factory,
        uses: 0,
      });
    }
    if (api?.api === 'sequential') return this.host(node, this.sequential(node));
    if (api?.api === 'model') return this.host(node, { type: 'functional', call: node, outputs: this.modelOutputs(node) });
    if (api?.api === 'input') return this.modelInput(node);
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const target = this.evaluator.evaluate(callee.expression);
    if (!isHostValue(target)) return undefined;
    const host = target.host as Host;
    const method = callee.name.text;
    if (host.type === 'layer' && method === 'apply') return this.apply(host, node);
    if (host.type === 'sequential' && method === 'add') {
      const arg = node.arguments[0];
      if (arg) this.addEntry(host, arg, this.evaluator.evaluate(arg));
      return null;
    }
    // compile(), summary(), fit()...: nothing that changes the architecture.
    return host.type === 'sequential' || host.type === 'functional' ? null : undefined;
  }

  private sequential(node: TS.CallExpression): SequentialHost {
    const host: SequentialHost = { type: 'sequential', call: node, entries: [] };
    const arg = node.arguments[0];
    if (!arg) return host;
    const config = this.evaluator.evaluate(arg);
    if (isUnresolved(config)) {
      host.entries.push({ type: 'unknown', unresolved: config, at: arg, what: 'the sequential config' });
      return host;
    }
    if (!isObjectValue(config)) return host;
    const layers = getProperty(config, 'layers');
    if (!layers) return host;
    if ('kind' in layers) {
      host.entries.push({ type: 'unknown', unresolved: layers, at: arg, what: 'layers' });
      return host;
    }
    const value = layers.value();
    if (isArrayValue(value)) {
      for (const item of value.items) this.addEntry(host, item.node, item.value, item.unknownSpread);
    } else {
      this.addEntry(host, layers.valueNode, value, true);
    }
    return host;
  }

  private addEntry(host: SequentialHost, at: TS.Node, value: Value, many = false) {
    if (isHostValue(value) && (value.host as Host).type === 'layer') {
      host.entries.push({ type: 'layer', layer: value.host as LayerHost, at });
    } else {
      const unresolved = isUnresolved(value) ? value : this.evaluator.unresolved(at, 'is not a tf.layers layer ConvLens can follow');
      host.entries.push({
        type: 'unknown',
        unresolved,
        at,
        what: many ? 'layers' : 'layer',
        consequence: many ? 'the layers it adds and every shape after them are unknown' : undefined,
      });
    }
  }

  private modelOutputs(node: TS.CallExpression): Value {
    const arg = node.arguments[0];
    const config = arg ? this.evaluator.evaluate(arg) : undefined;
    if (!isObjectValue(config)) return isUnresolved(config) ? config : undefined;
    const outputs = getProperty(config, 'outputs');
    if (!outputs) return undefined;
    return 'kind' in outputs ? outputs : outputs.value();
  }

  private modelInput(node: TS.CallExpression): Value {
    if (this.inputSeen) return this.evaluator.unresolved(node, 'is a second model input (ConvLens models one input)');
    this.inputSeen = true;
    const arg = node.arguments[0];
    const config = arg ? this.evaluator.evaluate(arg) : undefined;
    if (isObjectValue(config)) this.input = this.inputFromConfig(config, node, ['shape', 'batchShape']);
    else if (isUnresolved(config) && arg)
      this.diagnostics.push(unresolvedDiagnostic(this.source, config, arg, { what: 'the input', consequence: 'every shape is unknown' }));
    return this.host(node, { type: 'tensor', producer: INPUT_NAME });
  }

  /** The NCHW input shape from `inputShape` / `batchInputShape` / `inputDim` (or `shape` / `batchShape`). */
  private inputFromConfig(
    config: ObjectValue,
    at: TS.Node,
    keys: [string, string] = ['inputShape', 'batchInputShape'],
  ): InputSpec | undefined {
    const [shapeKey, batchKey] = keys;
    const shapeProp = getProperty(config, shapeKey);
    const batchProp = getProperty(config, batchKey);
    const dimProp = keys[0] === 'inputShape' ? getProperty(config, 'inputDim') : undefined;
    const prop = [batchProp, shapeProp, dimProp].find((p): p is ObjectProperty | Unresolved => p !== undefined);
    if (!prop) {
      if (keys[0] === 'shape')
        this.diagnostics.push({
          severity: 'error',
          code: 'tfjs.missing-input-shape',
          message: 'tf.input needs shape (or batchShape)',
          range: this.source.range(at),
        });
      return undefined;
    }
    if ('kind' in prop) {
      this.diagnostics.push(
        unresolvedDiagnostic(this.source, prop, at, { what: 'the input shape', consequence: 'every shape is unknown' }),
      );
      return undefined;
    }
    const plain = toPlain(prop.value(), this.evaluator, prop.valueNode);
    if (!plain.ok) {
      this.diagnostics.push(
        unresolvedDiagnostic(this.source, plain.unresolved, prop.valueNode, { what: prop.key, consequence: 'every shape is unknown' }),
      );
      return undefined;
    }
    const range = this.source.range(prop.valueNode);
    let dims: unknown[];
    let batch: unknown = null;
    if (prop === dimProp) dims = [plain.value];
    else if (prop === batchProp) {
      if (!Array.isArray(plain.value) || plain.value.length < 2) {
        this.diagnostics.push({
          severity: 'error',
          code: 'input.invalid',
          message: `${prop.key} must be [batch, ...dims], got ${JSON.stringify(plain.value)}`,
          range,
        });
        return undefined;
      }
      [batch, ...dims] = plain.value;
    } else if (Array.isArray(plain.value)) dims = plain.value;
    else dims = [plain.value];
    const positive = (d: unknown) => typeof d === 'number' && Number.isInteger(d) && d > 0;
    if (dims.some((d) => d === null) || batch === undefined) {
      this.diagnostics.push({
        severity: 'info',
        code: 'tfjs.variable-input',
        message: `${prop.key} ${JSON.stringify(plain.value)} has a variable size (null); ConvLens needs fixed sizes to compute shapes`,
        range,
      });
      return undefined;
    }
    if (dims.length === 0 || !dims.every(positive) || !(batch === null || positive(batch))) {
      this.diagnostics.push({
        severity: 'error',
        code: 'input.invalid',
        message: `${prop.key} must list positive integers, got ${JSON.stringify(plain.value)}`,
        range,
      });
      return undefined;
    }
    const n = (batch as number | null) ?? 1;
    const d = dims as number[];
    // TensorFlow is NHWC; the analyzer works in NCHW and converts back for display.
    const shape = d.length === 3 ? [n, d[2]!, d[0]!, d[1]!] : [n, ...d];
    return { shape, range };
  }

  // ---- following the code that builds the model --------------------------------------------

  private interpret(statements: readonly TS.Statement[]) {
    const ts = this.ts;
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const decl of statement.declarationList.declarations) {
          if (constant) this.evaluator.evaluateDeclaration(decl);
          else if (ts.isIdentifier(decl.name))
            this.evaluator.mutable.set(decl, decl.initializer ? this.evaluator.evaluate(decl.initializer) : undefined);
        }
      } else if (ts.isExpressionStatement(statement)) {
        this.statementExpression(statement.expression);
      } else if (ts.isReturnStatement(statement) && statement.expression) {
        this.evaluator.evaluate(statement.expression);
      } else if (ts.isIfStatement(statement)) {
        const condition = this.evaluator.evaluate(statement.expression);
        if (isUnresolved(condition))
          this.notFollowed(
            statement,
            `inside \`if (${this.source.quote(statement.expression, 40)})\`, whose condition is not known statically`,
          );
        else {
          const branch = condition ? statement.thenStatement : statement.elseStatement;
          if (branch) this.interpret(ts.isBlock(branch) ? branch.statements : [branch]);
        }
      } else if (ts.isBlock(statement)) {
        this.interpret(statement.statements);
      } else if (
        ts.isIterationStatement(statement, false) ||
        ts.isSwitchStatement(statement) ||
        ts.isTryStatement(statement) ||
        ts.isLabeledStatement(statement)
      ) {
        this.notFollowed(
          statement,
          ts.isIterationStatement(statement, false) ? 'inside a loop' : 'inside a statement ConvLens does not follow',
        );
      }
    }
  }

  private statementExpression(expression: TS.Expression) {
    const ts = this.ts;
    if (
      ts.isBinaryExpression(expression) &&
      expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(expression.left)
    ) {
      const decl = this.evaluator.findDeclaration(expression.left);
      if (decl?.kind === 'variable' && !decl.constant && decl.path.length === 0) {
        this.evaluator.mutable.set(decl.decl, this.evaluator.evaluate(expression.right));
        return;
      }
    }
    const value = this.evaluator.evaluate(expression);
    // An unknown call that receives the model (`addBlocks(model, 64)`) may add layers to it.
    if (isUnresolved(value) && ts.isCallExpression(expression)) {
      for (const arg of expression.arguments) {
        const v = this.evaluator.evaluate(arg);
        if (isHostValue(v) && (v.host as Host).type === 'sequential') {
          (v.host as SequentialHost).entries.push({
            type: 'unknown',
            unresolved: this.evaluator.unresolved(expression, 'is a function call that receives the model and may add layers'),
            at: expression,
            what: 'layers',
            consequence: 'layers it may add and every shape after them are unknown',
          });
        }
      }
    }
  }

  /** Code that is not followed: models it adds layers to and variables it assigns become unknown. */
  private notFollowed(statement: TS.Statement, where: string) {
    const ts = this.ts;
    const visit = (node: TS.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'add') {
        const target = this.evaluator.evaluate(node.expression.expression);
        if (isHostValue(target) && (target.host as Host).type === 'sequential') {
          const host = target.host as SequentialHost;
          if (!host.entries.some((e) => e.type === 'unknown' && statement.pos <= e.at.pos && e.at.end <= statement.end)) {
            host.entries.push({
              type: 'unknown',
              unresolved: this.evaluator.unresolved(node, `adds a layer ${where}`),
              at: node,
              what: '',
              consequence: 'the layers added there and every shape after them are unknown',
            });
          }
        }
      }
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
        ts.isIdentifier(node.left)
      ) {
        const decl = this.evaluator.findDeclaration(node.left);
        if (decl?.kind === 'variable' && !decl.constant)
          this.evaluator.mutable.set(decl.decl, this.evaluator.unresolved(node.left, `is assigned ${where}`));
      }
      ts.forEachChild(node, visit);
    };
    visit(statement);
  }

  // ---- layers → LayerSpecs ------------------------------------------------------------------

  private apply(layer: LayerHost, call: TS.CallExpression): Value {
    const arg = call.arguments[0];
    const refs: LayerRef[] = [];
    const items = arg ? this.evaluator.evaluate(arg) : undefined;
    const inputs = isArrayValue(items) ? items.items.map((i) => ({ node: i.node, value: i.value })) : [{ node: arg ?? call, value: items }];
    for (const input of inputs) {
      const range = this.source.range(input.node);
      if (isHostValue(input.value) && (input.value.host as Host).type === 'tensor') {
        refs.push({ name: (input.value.host as TensorHost).producer, range });
      } else {
        const unresolved = isUnresolved(input.value)
          ? input.value
          : this.evaluator.unresolved(input.node, 'is not a tensor ConvLens can follow');
        const placeholder = this.placeholder(input.node, `unresolved_${++this.placeholderCount}`, undefined);
        this.diagnostics.push(
          unresolvedDiagnostic(this.source, unresolved, input.node, { layer: placeholder.name, what: 'the input of a layer' }),
        );
        this.applied.push(placeholder);
        refs.push({ name: placeholder.name, range });
      }
    }
    const from = { refs, range: this.source.range(arg ?? call) };
    const specs = this.layerSpecs(layer, from);
    this.applied.push(...specs);
    const last = specs[specs.length - 1]!;
    return this.host(call, { type: 'tensor', producer: last.name });
  }

  private buildSequential(host: SequentialHost, spec: ModelSpec) {
    let first = true;
    for (const entry of host.entries) {
      if (entry.type === 'unknown') {
        const placeholder = this.placeholder(entry.at, `unresolved_${++this.placeholderCount}`, undefined);
        this.diagnostics.push(
          unresolvedDiagnostic(this.source, entry.unresolved, entry.at, {
            layer: placeholder.name,
            what: entry.what,
            consequence: entry.consequence,
          }),
        );
        spec.layers.push(placeholder);
        first = false;
        continue;
      }
      const layer = entry.layer;
      if (first) {
        first = false;
        const config = layer.call.arguments[0] ? this.evaluator.evaluate(layer.call.arguments[0]) : undefined;
        if (isObjectValue(config)) spec.input = this.inputFromConfig(config, layer.call);
        const hasShape =
          isObjectValue(config) && ['inputShape', 'batchInputShape', 'inputDim'].some((k) => getProperty(config, k) !== undefined);
        if (!hasShape && !isUnresolved(config)) {
          this.diagnostics.push({
            severity: 'error',
            code: 'tfjs.missing-input-shape',
            message: `The first layer of a sequential model needs inputShape (or batchInputShape); TensorFlow.js throws without it`,
            range: this.source.range(layer.factoryNode),
          });
        }
        if (layer.factory === 'inputLayer') continue;
      }
      spec.layers.push(...this.layerSpecs(layer, undefined));
    }
  }

  private buildFunctional(host: FunctionalHost, spec: ModelSpec) {
    spec.input = this.input;
    const outputs = isArrayValue(host.outputs) ? host.outputs.items.map((i) => i.value) : [host.outputs];
    const producers = outputs
      .filter((o) => isHostValue(o) && (o.host as Host).type === 'tensor')
      .map((o) => (o as { host: TensorHost }).host.producer);
    if (producers.length !== outputs.length || producers.length === 0) {
      spec.layers = [...this.applied];
      return;
    }
    // Only what the outputs depend on is in the model (tf.model drops the rest).
    const byName = new Map(this.applied.map((l) => [l.name, l]));
    const keep = new Set<string>();
    const stack = [...producers];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (keep.has(name) || !byName.has(name)) continue;
      keep.add(name);
      for (const ref of byName.get(name)!.from?.refs ?? []) stack.push(ref.name);
    }
    spec.layers = this.applied.filter((l) => keep.has(l.name));
  }

  private placeholder(node: TS.Node, name: string, from: LayerSpec['from'], kindNode?: TS.Node): LayerSpec {
    return placeholderSpec(this.source, node, name, from, kindNode);
  }

  private layerSpecs(layer: LayerHost, from: LayerSpec['from']): LayerSpec[] {
    return layerSpecs(this, layer, from);
  }
}

/** The statements around a call: the block (or file) whose straight-line code builds the model. */
function enclosingStatements(ts: TsSource['ts'], node: TS.Node): readonly TS.Statement[] {
  for (let n: TS.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n)) return n.statements;
  }
  return [];
}

/** Parses TensorFlow.js layers code into a ModelSpec (framework 'tfjs'); no model → no `model`. */
export function parseTfjsModel(source: TsSource, diagnostics: Diagnostic[]): ParseResult {
  return new TfjsFrontEnd(source, diagnostics).parse();
}
