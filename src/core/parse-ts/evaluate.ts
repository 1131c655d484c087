// Static evaluation of TypeScript expressions: literals, `const` bindings, arithmetic, arrays and
// objects, resolved from the syntax tree alone. Nothing is ever executed: a function call, an
// import or a `let` becomes an `Unresolved` value that names the expression and says why, and the
// front ends turn it into an info diagnostic instead of guessing.

import type * as TS from 'typescript';
import type { TsSource } from './source';

export interface Unresolved {
  kind: 'unresolved';
  /** The innermost expression that could not be resolved. */
  node: TS.Node;
  reason: string;
}

export interface ArrayItem {
  node: TS.Node;
  value: Value;
  /** A spread (`...x`) that could not be resolved: an unknown number of items. */
  unknownSpread?: boolean;
}

export interface ArrayValue {
  kind: 'array';
  node: TS.Node;
  items: ArrayItem[];
}

export interface ObjectProperty {
  type: 'property';
  key: string;
  keyNode: TS.Node;
  valueNode: TS.Node;
  /** Evaluated on first use, so properties nobody reads (initializers...) are never looked at. */
  value(): Value;
}

export type ObjectEntry = ObjectProperty | { type: 'spread'; unresolved: Unresolved };

export interface ObjectValue {
  kind: 'object';
  node: TS.Node;
  entries: ObjectEntry[];
}

export interface FunctionValue {
  kind: 'function';
  node: TS.Node;
}

/** A value a front end gives meaning to (TensorFlow.js layers, tensors, models). */
export interface HostValue {
  kind: 'host';
  node: TS.Node;
  host: unknown;
}

export type Value = number | string | boolean | null | undefined | Unresolved | ArrayValue | ObjectValue | FunctionValue | HostValue;

export interface EvalHooks {
  /** Handles a call the front end understands; undefined means "not mine". */
  call?(node: TS.CallExpression, evaluator: Evaluator): Value | undefined;
}

export type Declaration =
  | { kind: 'variable'; decl: TS.VariableDeclaration; constant: boolean; path: (string | number)[] }
  | { kind: 'parameter'; node: TS.Node; owner: TS.Node }
  | { kind: 'import'; node: TS.Node; module: string }
  | { kind: 'function'; node: TS.Node }
  | { kind: 'other'; node: TS.Node; what: string };

const MATH_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  trunc: Math.trunc,
  abs: Math.abs,
  sqrt: Math.sqrt,
  max: Math.max,
  min: Math.min,
  pow: Math.pow,
  log2: Math.log2,
};

export function isUnresolved(value: Value): value is Unresolved {
  return typeof value === 'object' && value !== null && value.kind === 'unresolved';
}

export function isObjectValue(value: Value): value is ObjectValue {
  return typeof value === 'object' && value !== null && value.kind === 'object';
}

export function isArrayValue(value: Value): value is ArrayValue {
  return typeof value === 'object' && value !== null && value.kind === 'array';
}

export function isHostValue(value: Value): value is HostValue {
  return typeof value === 'object' && value !== null && value.kind === 'host';
}

/** The last property `key` of an object, honouring spreads (a later unknown spread may override). */
export function getProperty(object: ObjectValue, key: string): ObjectProperty | Unresolved | undefined {
  for (let i = object.entries.length - 1; i >= 0; i--) {
    const entry = object.entries[i]!;
    if (entry.type === 'spread') return entry.unresolved;
    if (entry.key === key) return entry;
  }
  return undefined;
}

/** Every property, the last one of each key, in source order. */
export function properties(object: ObjectValue): ObjectProperty[] {
  const last = new Map<string, ObjectProperty>();
  for (const entry of object.entries) if (entry.type === 'property') last.set(entry.key, entry);
  return [...last.values()];
}

/** The first unknown spread in an object, if any. */
export function unknownSpread(object: ObjectValue): Unresolved | undefined {
  for (const entry of object.entries) if (entry.type === 'spread') return entry.unresolved;
  return undefined;
}

export class Evaluator {
  private readonly ts: TsSource['ts'];
  private readonly constValues = new Map<TS.Node, Value>();
  private readonly inProgress = new Set<TS.Node>();
  /** Current values of `let`/`var` bindings, set by a front end that follows straight-line code. */
  readonly mutable = new Map<TS.Node, Value>();
  private readonly callMemo = new Map<TS.Node, Value>();

  constructor(
    readonly source: TsSource,
    private readonly hooks: EvalHooks = {},
  ) {
    this.ts = source.ts;
  }

  unresolved(node: TS.Node, reason: string): Unresolved {
    return { kind: 'unresolved', node, reason };
  }

  evaluate(node: TS.Node): Value {
    const ts = this.ts;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
      return this.evaluate(node.expression);
    }
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (node.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isTemplateExpression(node)) return this.template(node);
    if (ts.isIdentifier(node)) return this.identifier(node);
    if (ts.isArrayLiteralExpression(node)) return this.array(node);
    if (ts.isObjectLiteralExpression(node)) return this.object(node);
    if (ts.isPrefixUnaryExpression(node)) return this.prefix(node);
    if (ts.isBinaryExpression(node)) return this.binary(node);
    if (ts.isConditionalExpression(node)) {
      const condition = this.evaluate(node.condition);
      if (isUnresolved(condition)) return condition;
      return this.evaluate(truthy(condition) ? node.whenTrue : node.whenFalse);
    }
    if (ts.isPropertyAccessExpression(node)) return this.member(node, node.expression, node.name.text);
    if (ts.isElementAccessExpression(node)) {
      const key = this.evaluate(node.argumentExpression);
      if (isUnresolved(key)) return key;
      if (typeof key !== 'string' && typeof key !== 'number') return this.unresolved(node.argumentExpression, 'is not a constant property name');
      return this.member(node, node.expression, key);
    }
    if (ts.isCallExpression(node)) return this.call(node);
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return { kind: 'function', node };
    if (ts.isVoidExpression(node)) return undefined;
    if (ts.isNewExpression(node)) return this.unresolved(node, 'creates an object at run time');
    if (ts.isAwaitExpression(node)) return this.unresolved(node, 'awaits a value at run time');
    return this.unresolved(node, 'is not a constant expression');
  }

  /** A call evaluated once per call site: layer constructors must not be counted twice. */
  private call(node: TS.CallExpression): Value {
    const memo = this.callMemo.get(node);
    if (memo !== undefined || this.callMemo.has(node)) return memo;
    const value = this.callUncached(node);
    this.callMemo.set(node, value);
    return value;
  }

  private callUncached(node: TS.CallExpression): Value {
    const hooked = this.hooks.call?.(node, this);
    if (hooked !== undefined) return hooked;
    const ts = this.ts;
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Math' && !this.findDeclaration(callee.expression)) {
      const fn = MATH_FUNCTIONS[callee.name.text];
      if (fn) {
        const args: number[] = [];
        for (const arg of node.arguments) {
          const v = this.evaluate(arg);
          if (isUnresolved(v)) return v;
          if (typeof v !== 'number') return this.unresolved(arg, 'is not a number');
          args.push(v);
        }
        return fn(...args);
      }
    }
    return this.unresolved(node, 'is a function call');
  }

  private template(node: TS.TemplateExpression): Value {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const v = this.evaluate(span.expression);
      if (isUnresolved(v)) return v;
      if (typeof v === 'object' && v !== null) return this.unresolved(span.expression, 'is not a string or number');
      text += String(v) + span.literal.text;
    }
    return text;
  }

  private identifier(node: TS.Identifier): Value {
    const name = node.text;
    const decl = this.findDeclaration(node);
    if (!decl) {
      if (name === 'undefined') return undefined;
      if (name === 'NaN') return NaN;
      if (name === 'Infinity') return Infinity;
      return this.unresolved(node, 'is not defined in this file');
    }
    switch (decl.kind) {
      case 'variable':
        return this.variable(node, decl.decl, decl.constant, decl.path);
      case 'parameter':
        return this.unresolved(node, 'is a function parameter (its value depends on the call)');
      case 'import':
        return this.unresolved(node, `is imported from '${decl.module}' (ConvLens reads only this file)`);
      case 'function':
        return { kind: 'function', node: decl.node };
      case 'other':
        return this.unresolved(node, `is ${decl.what}, not a constant`);
    }
  }

  private variable(use: TS.Identifier, decl: TS.VariableDeclaration, constant: boolean, path: (string | number)[]): Value {
    let value: Value;
    if (!constant) {
      if (!this.mutable.has(decl)) {
        return this.unresolved(use, `is declared with ${decl.parent.flags & this.ts.NodeFlags.Let ? 'let' : 'var'} (only const values and straight-line assignments are followed)`);
      }
      value = this.mutable.get(decl);
    } else if (this.constValues.has(decl)) {
      value = this.constValues.get(decl);
    } else {
      if (!decl.initializer) return this.unresolved(use, 'has no initializer in this file');
      if (this.inProgress.has(decl)) return this.unresolved(use, 'refers to itself');
      this.inProgress.add(decl);
      try {
        value = this.evaluate(decl.initializer);
      } finally {
        this.inProgress.delete(decl);
      }
      this.constValues.set(decl, value);
    }
    for (const step of path) {
      if (isUnresolved(value)) return value;
      value = this.select(use, value, step);
    }
    return value;
  }

  /** Evaluates a const declaration now (front ends that follow code in order call this). */
  evaluateDeclaration(decl: TS.VariableDeclaration): Value {
    if (this.constValues.has(decl)) return this.constValues.get(decl);
    const value = decl.initializer ? this.evaluate(decl.initializer) : undefined;
    this.constValues.set(decl, value);
    return value;
  }

  private array(node: TS.ArrayLiteralExpression): Value {
    const ts = this.ts;
    const items: ArrayItem[] = [];
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) {
        const v = this.evaluate(element.expression);
        if (isArrayValue(v)) items.push(...v.items);
        else if (isUnresolved(v)) items.push({ node: element, value: v, unknownSpread: true });
        else items.push({ node: element, value: this.unresolved(element.expression, 'is not an array'), unknownSpread: true });
      } else if (ts.isOmittedExpression(element)) {
        items.push({ node: element, value: undefined });
      } else {
        items.push({ node: element, value: this.evaluate(element) });
      }
    }
    return { kind: 'array', node, items };
  }

  private object(node: TS.ObjectLiteralExpression): Value {
    const ts = this.ts;
    const entries: ObjectEntry[] = [];
    for (const prop of node.properties) {
      if (ts.isSpreadAssignment(prop)) {
        const v = this.evaluate(prop.expression);
        if (isObjectValue(v)) entries.push(...v.entries);
        else if (isUnresolved(v)) entries.push({ type: 'spread', unresolved: v });
        else if (v !== undefined && v !== null) entries.push({ type: 'spread', unresolved: this.unresolved(prop.expression, 'is not an object') });
        continue;
      }
      const name = prop.name;
      let key: string | undefined;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))) key = name.text;
      else if (name && ts.isComputedPropertyName(name)) {
        const k = this.evaluate(name.expression);
        if (typeof k === 'string' || typeof k === 'number') key = String(k);
        else {
          entries.push({ type: 'spread', unresolved: isUnresolved(k) ? k : this.unresolved(name.expression, 'is not a constant property name') });
          continue;
        }
      }
      if (key === undefined || !name) continue;
      if (ts.isPropertyAssignment(prop)) {
        entries.push(this.lazyProperty(key, name, prop.initializer, () => this.evaluate(prop.initializer)));
      } else if (ts.isShorthandPropertyAssignment(prop)) {
        entries.push(this.lazyProperty(key, name, prop.name, () => this.evaluate(prop.name)));
      } else {
        entries.push(this.lazyProperty(key, name, prop, () => this.unresolved(prop, 'is a method or accessor, not a value')));
      }
    }
    return { kind: 'object', node, entries };
  }

  private lazyProperty(key: string, keyNode: TS.Node, valueNode: TS.Node, compute: () => Value): ObjectProperty {
    let done = false;
    let cached: Value;
    return {
      type: 'property',
      key,
      keyNode,
      valueNode,
      value: () => {
        if (!done) {
          cached = compute();
          done = true;
        }
        return cached;
      },
    };
  }

  private prefix(node: TS.PrefixUnaryExpression): Value {
    const ts = this.ts;
    const v = this.evaluate(node.operand);
    if (isUnresolved(v)) return v;
    switch (node.operator) {
      case ts.SyntaxKind.ExclamationToken:
        return !truthy(v);
      case ts.SyntaxKind.MinusToken:
      case ts.SyntaxKind.PlusToken:
      case ts.SyntaxKind.TildeToken:
        if (typeof v !== 'number') return this.unresolved(node.operand, 'is not a number');
        return node.operator === ts.SyntaxKind.MinusToken ? -v : node.operator === ts.SyntaxKind.PlusToken ? v : ~v;
      default:
        return this.unresolved(node, 'changes a variable');
    }
  }

  private binary(node: TS.BinaryExpression): Value {
    const ts = this.ts;
    const op = node.operatorToken.kind;
    const S = ts.SyntaxKind;
    if (op >= S.FirstAssignment && op <= S.LastAssignment) return this.unresolved(node, 'assigns a variable');
    const left = this.evaluate(node.left);
    if (isUnresolved(left)) return left;
    if (op === S.AmpersandAmpersandToken) return truthy(left) ? this.evaluate(node.right) : left;
    if (op === S.BarBarToken) return truthy(left) ? left : this.evaluate(node.right);
    if (op === S.QuestionQuestionToken) return left === null || left === undefined ? this.evaluate(node.right) : left;
    if (op === S.CommaToken) return this.evaluate(node.right);
    const right = this.evaluate(node.right);
    if (isUnresolved(right)) return right;
    if (op === S.EqualsEqualsEqualsToken || op === S.EqualsEqualsToken) return primitive(left) && primitive(right) ? left === right : this.unresolved(node, 'compares objects');
    if (op === S.ExclamationEqualsEqualsToken || op === S.ExclamationEqualsToken) return primitive(left) && primitive(right) ? left !== right : this.unresolved(node, 'compares objects');
    if (op === S.PlusToken && (typeof left === 'string' || typeof right === 'string') && primitive(left) && primitive(right)) return String(left) + String(right);
    if (typeof left !== 'number') return this.unresolved(node.left, 'is not a number');
    if (typeof right !== 'number') return this.unresolved(node.right, 'is not a number');
    switch (op) {
      case S.PlusToken:
        return left + right;
      case S.MinusToken:
        return left - right;
      case S.AsteriskToken:
        return left * right;
      case S.SlashToken:
        return left / right;
      case S.PercentToken:
        return left % right;
      case S.AsteriskAsteriskToken:
        return left ** right;
      case S.LessThanToken:
        return left < right;
      case S.LessThanEqualsToken:
        return left <= right;
      case S.GreaterThanToken:
        return left > right;
      case S.GreaterThanEqualsToken:
        return left >= right;
      case S.LessThanLessThanToken:
        return left << right;
      case S.GreaterThanGreaterThanToken:
        return left >> right;
      case S.AmpersandToken:
        return left & right;
      case S.BarToken:
        return left | right;
      case S.CaretToken:
        return left ^ right;
      default:
        return this.unresolved(node, 'is not a constant expression');
    }
  }

  private member(node: TS.Node, objectNode: TS.Expression, key: string | number): Value {
    const object = this.evaluate(objectNode);
    if (isUnresolved(object)) return object;
    return this.select(node, object, key);
  }

  private select(node: TS.Node, object: Value, key: string | number): Value {
    if (isObjectValue(object)) {
      const prop = getProperty(object, String(key));
      if (!prop) return undefined;
      return 'kind' in prop ? prop : prop.value();
    }
    if (isArrayValue(object)) {
      if (key === 'length') {
        const unknown = object.items.find((i) => i.unknownSpread);
        return unknown ? unknown.value : object.items.length;
      }
      const index = typeof key === 'number' ? key : Number(key);
      if (!Number.isInteger(index)) return this.unresolved(node, 'is not a constant array element');
      for (let i = 0; i <= index && i < object.items.length; i++) {
        const item = object.items[i]!;
        if (item.unknownSpread) return item.value;
        if (i === index) return item.value;
      }
      return undefined;
    }
    if (typeof object === 'string' && key === 'length') return object.length;
    return this.unresolved(node, 'is not a constant property');
  }

  /** Where an identifier is declared, walking outward through the enclosing scopes. */
  findDeclaration(id: TS.Identifier): Declaration | undefined {
    const ts = this.ts;
    const name = id.text;
    for (let scope: TS.Node | undefined = id.parent; scope; scope = scope.parent) {
      if (ts.isFunctionLike(scope)) {
        for (const param of scope.parameters) {
          if (bindsName(ts, param.name, name)) return { kind: 'parameter', node: param, owner: scope };
        }
        if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name?.text === name) return { kind: 'function', node: scope };
      }
      if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
        if (scope.initializer.declarations.some((d) => bindsName(ts, d.name, name))) return { kind: 'other', node: scope, what: 'a loop variable' };
      }
      if (ts.isCatchClause(scope) && scope.variableDeclaration && bindsName(ts, scope.variableDeclaration.name, name)) return { kind: 'other', node: scope, what: 'a caught error' };
      const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope) ? scope.statements : undefined;
      if (statements) {
        const found = this.declarationIn(statements, name);
        if (found) return found;
      }
    }
    return undefined;
  }

  private declarationIn(statements: readonly TS.Statement[], name: string): Declaration | undefined {
    const ts = this.ts;
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const decl of statement.declarationList.declarations) {
          if (!bindsAny(ts, decl.name, name)) continue;
          const path = bindingPath(ts, decl.name, name);
          return path ? { kind: 'variable', decl, constant, path } : { kind: 'other', node: decl, what: 'destructured with a default or rest element' };
        }
      } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
        return { kind: 'function', node: statement };
      } else if (ts.isClassDeclaration(statement) && statement.name?.text === name) {
        return { kind: 'other', node: statement, what: 'a class' };
      } else if (ts.isEnumDeclaration(statement) && statement.name.text === name) {
        return { kind: 'other', node: statement, what: 'an enum' };
      } else if (ts.isImportDeclaration(statement) && statement.importClause) {
        const module = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : '?';
        const clause = statement.importClause;
        if (clause.name?.text === name) return { kind: 'import', node: clause, module };
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return { kind: 'import', node: bindings, module };
        if (bindings && ts.isNamedImports(bindings)) {
          const element = bindings.elements.find((e) => e.name.text === name);
          if (element) return { kind: 'import', node: element, module };
        }
      } else if (ts.isImportEqualsDeclaration(statement) && statement.name.text === name) {
        const ref = statement.moduleReference;
        const module = ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression) ? ref.expression.text : '?';
        return { kind: 'import', node: statement, module };
      }
    }
    return undefined;
  }

  /** The module an identifier is imported from (directly or via `const x = require('m')`). */
  importedModule(id: TS.Identifier): { module: string; imported?: string } | undefined {
    const ts = this.ts;
    const decl = this.findDeclaration(id);
    if (!decl) return undefined;
    if (decl.kind === 'import') {
      const node = decl.node;
      if (ts.isImportSpecifier(node)) return { module: decl.module, imported: (node.propertyName ?? node.name).text };
      return { module: decl.module };
    }
    if (decl.kind === 'variable' && decl.decl.initializer) {
      let init: TS.Expression = decl.decl.initializer;
      while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isAwaitExpression(init)) init = init.expression;
      if (ts.isCallExpression(init) && init.arguments.length === 1) {
        const arg = init.arguments[0]!;
        const isRequire = ts.isIdentifier(init.expression) && init.expression.text === 'require';
        const isImport = init.expression.kind === ts.SyntaxKind.ImportKeyword;
        if ((isRequire || isImport) && ts.isStringLiteral(arg)) {
          const last = decl.path[decl.path.length - 1];
          return { module: arg.text, imported: typeof last === 'string' ? last : undefined };
        }
      }
    }
    return undefined;
  }
}

function truthy(v: Value): boolean {
  if (typeof v === 'object' && v !== null) return true;
  return Boolean(v);
}

function primitive(v: Value): v is number | string | boolean | null | undefined {
  return typeof v !== 'object' || v === null;
}

function bindsName(ts: TsSource['ts'], binding: TS.BindingName, name: string): boolean {
  return bindsAny(ts, binding, name);
}

/** The property path from a declaration's value to `name` in a (possibly destructuring) binding. */
function bindingPath(ts: TsSource['ts'], binding: TS.BindingName, name: string): (string | number)[] | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? [] : undefined;
  if (ts.isObjectBindingPattern(binding)) {
    for (const element of binding.elements) {
      if (element.dotDotDotToken || element.initializer) {
        if (bindsAny(ts, element.name, name)) return undefined;
        continue;
      }
      const prop = element.propertyName ?? (ts.isIdentifier(element.name) ? element.name : undefined);
      const key = prop && (ts.isIdentifier(prop) || ts.isStringLiteral(prop) || ts.isNumericLiteral(prop)) ? prop.text : undefined;
      const inner = bindingPath(ts, element.name, name);
      if (inner) return key === undefined ? undefined : [key, ...inner];
    }
    return undefined;
  }
  for (let i = 0; i < binding.elements.length; i++) {
    const element = binding.elements[i]!;
    if (ts.isOmittedExpression(element)) continue;
    if (element.dotDotDotToken || element.initializer) {
      if (bindsAny(ts, element.name, name)) return undefined;
      continue;
    }
    const inner = bindingPath(ts, element.name, name);
    if (inner) return [i, ...inner];
  }
  return undefined;
}

/** Whether a binding declares `name` anywhere (also where its value is not followed). */
function bindsAny(ts: TsSource['ts'], binding: TS.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsAny(ts, e.name, name));
}

/** Converts to plain data (numbers, strings, booleans, null, arrays, records), or says what is unknown. */
export function toPlain(value: Value, evaluator: Evaluator, at: TS.Node): { ok: true; value: unknown } | { ok: false; unresolved: Unresolved } {
  if (isUnresolved(value)) return { ok: false, unresolved: value };
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  if (isArrayValue(value)) {
    const out: unknown[] = [];
    for (const item of value.items) {
      const converted = toPlain(item.value, evaluator, item.node);
      if (!converted.ok) return converted;
      out.push(converted.value);
    }
    return { ok: true, value: out };
  }
  if (isObjectValue(value)) {
    const spread = unknownSpread(value);
    if (spread) return { ok: false, unresolved: spread };
    const out: Record<string, unknown> = {};
    for (const prop of properties(value)) {
      const converted = toPlain(prop.value(), evaluator, prop.valueNode);
      if (!converted.ok) return converted;
      out[prop.key] = converted.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false, unresolved: evaluator.unresolved(at, value.kind === 'function' ? 'is a function, not data' : 'is not plain data') };
}
