// Static evaluation of TypeScript expressions: literals, `const` bindings, arithmetic, arrays and
// objects, resolved from the syntax tree alone. Nothing is ever executed: a function call, an
// import or a `let` becomes an `Unresolved` value that names the expression and says why, and the
// front ends turn it into an info diagnostic instead of guessing.

import type * as TS from 'typescript';
import { findDeclaration, importedModule, type Declaration, type ImportedFrom } from './scope';
import type { TsSource } from './source';
import {
  getProperty,
  isArrayValue,
  isObjectValue,
  isUnresolved,
  type ArrayItem,
  type ObjectEntry,
  type ObjectProperty,
  type Unresolved,
  type Value,
} from './values';

export * from './values';
export type { Declaration } from './scope';

export interface EvalHooks {
  /** Handles a call the front end understands; undefined means "not mine". */
  call?(node: TS.CallExpression, evaluator: Evaluator): Value | undefined;
}

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
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isNonNullExpression(node)
    ) {
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
      if (typeof key !== 'string' && typeof key !== 'number')
        return this.unresolved(node.argumentExpression, 'is not a constant property name');
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
    if (
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'Math' &&
      !this.findDeclaration(callee.expression)
    ) {
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
        return this.unresolved(
          use,
          `is declared with ${decl.parent.flags & this.ts.NodeFlags.Let ? 'let' : 'var'} (only const values and straight-line assignments are followed)`,
        );
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
        else if (v !== undefined && v !== null)
          entries.push({ type: 'spread', unresolved: this.unresolved(prop.expression, 'is not an object') });
        continue;
      }
      const name = prop.name;
      let key: string | undefined;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)))
        key = name.text;
      else if (name && ts.isComputedPropertyName(name)) {
        const k = this.evaluate(name.expression);
        if (typeof k === 'string' || typeof k === 'number') key = String(k);
        else {
          entries.push({
            type: 'spread',
            unresolved: isUnresolved(k) ? k : this.unresolved(name.expression, 'is not a constant property name'),
          });
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
    if (op === S.EqualsEqualsEqualsToken || op === S.EqualsEqualsToken)
      return primitive(left) && primitive(right) ? left === right : this.unresolved(node, 'compares objects');
    if (op === S.ExclamationEqualsEqualsToken || op === S.ExclamationEqualsToken)
      return primitive(left) && primitive(right) ? left !== right : this.unresolved(node, 'compares objects');
    if (op === S.PlusToken && (typeof left === 'string' || typeof right === 'string') && primitive(left) && primitive(right))
      return String(left) + String(right);
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

  /** Where an identifier is declared (see ./scope.ts). */
  findDeclaration(id: TS.Identifier): Declaration | undefined {
    return findDeclaration(this.ts, id);
  }

  /** The module an identifier is imported from (see ./scope.ts). */
  importedModule(id: TS.Identifier): ImportedFrom | undefined {
    return importedModule(this.ts, id);
  }
}

function truthy(v: Value): boolean {
  if (typeof v === 'object' && v !== null) return true;
  return Boolean(v);
}

function primitive(v: Value): v is number | string | boolean | null | undefined {
  return typeof v !== 'object' || v === null;
}
