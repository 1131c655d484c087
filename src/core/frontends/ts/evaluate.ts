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
  VALUE_LIMITS,
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

/** Nested evaluate() calls before an expression is given up as too deep. */
export const MAX_EVALUATION_DEPTH = 500;

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
  /** Nested evaluate() calls on the stack: stops before the JavaScript stack does. */
  private depth = 0;

  constructor(
    readonly source: TsSource,
    private readonly hooks: EvalHooks = {},
  ) {
    this.ts = source.ts;
  }

  unresolved(node: TS.Node, reason: string): Unresolved {
    return { kind: 'unresolved', node, reason };
  }

  /** A value over one of the evaluator's limits: an error, not an unknown. */
  overLimit(node: TS.Node, reason: string): Unresolved {
    return { kind: 'unresolved', node, reason, limit: true };
  }

  evaluate(node: TS.Node): Value {
    if (this.depth >= MAX_EVALUATION_DEPTH) {
      return this.overLimit(node, `is nested more than ${MAX_EVALUATION_DEPTH} expressions deep (the limit for an expression)`);
    }
    this.depth++;
    try {
      return this.evaluateNode(node);
    } finally {
      this.depth--;
    }
  }

  private evaluateNode(node: TS.Node): Value {
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
      if (text.length > VALUE_LIMITS.stringLength) return this.tooLong(node, text.length);
    }
    return text;
  }

  private tooLong(node: TS.Node, length: number): Unresolved {
    return this.overLimit(node, `makes a string of ${length} characters, over the limit of ${VALUE_LIMITS.stringLength}`);
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
      this.resolveDependencies(decl);
      value = this.evaluateConst(decl, decl.initializer);
    }
    for (const step of path) {
      if (isUnresolved(value)) return value;
      value = this.select(use, value, step);
    }
    return value;
  }

  private evaluateConst(decl: TS.VariableDeclaration, initializer: TS.Expression): Value {
    if (this.constValues.has(decl)) return this.constValues.get(decl);
    this.inProgress.add(decl);
    let value: Value;
    try {
      value = this.evaluate(initializer);
    } finally {
      this.inProgress.delete(decl);
    }
    this.constValues.set(decl, value);
    return value;
  }

  /**
   * Evaluates the consts a const's initializer refers to before the const itself, deepest first,
   * with an explicit stack: a chain of thousands of consts (`const c2 = c1 + 1; …`) then costs one
   * level of recursion per const instead of one per link of the chain.
   */
  private resolveDependencies(root: TS.VariableDeclaration): void {
    // The consts on the stack count as in progress, as they would in a recursive evaluation: a
    // cycle is reported at the reference that closes it.
    const stack: { decl: TS.VariableDeclaration; expanded: boolean }[] = [{ decl: root, expanded: false }];
    const seen = new Set<TS.VariableDeclaration>([root]);
    try {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (!top.expanded) {
          top.expanded = true;
          this.inProgress.add(top.decl);
          for (const dep of this.constDependencies(top.decl)) {
            if (seen.has(dep) || this.constValues.has(dep) || this.inProgress.has(dep)) continue;
            seen.add(dep);
            stack.push({ decl: dep, expanded: false });
          }
          continue;
        }
        stack.pop();
        this.inProgress.delete(top.decl);
        if (top.decl !== root && top.decl.initializer) this.evaluateConst(top.decl, top.decl.initializer);
      }
    } finally {
      for (const entry of stack) this.inProgress.delete(entry.decl);
    }
  }

  /** The const declarations an initializer names (outside nested functions, not property names). */
  private constDependencies(decl: TS.VariableDeclaration): TS.VariableDeclaration[] {
    const ts = this.ts;
    const found: TS.VariableDeclaration[] = [];
    const pending: TS.Node[] = decl.initializer ? [decl.initializer] : [];
    while (pending.length > 0) {
      const node = pending.pop()!;
      if (ts.isIdentifier(node)) {
        const parent = node.parent;
        const isName =
          (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
        const found_ = isName ? undefined : this.findDeclaration(node);
        if (found_?.kind === 'variable' && found_.constant && found_.decl.initializer) found.push(found_.decl);
        continue;
      }
      if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isTypeNode(node)) continue;
      ts.forEachChild(node, (child) => {
        pending.push(child);
      });
    }
    return found;
  }

  /** Evaluates a const declaration now (front ends that follow code in order call this). */
  evaluateDeclaration(decl: TS.VariableDeclaration): Value {
    if (this.constValues.has(decl)) return this.constValues.get(decl);
    if (!decl.initializer) {
      this.constValues.set(decl, undefined);
      return undefined;
    }
    this.resolveDependencies(decl);
    return this.evaluateConst(decl, decl.initializer);
  }

  private array(node: TS.ArrayLiteralExpression): Value {
    const ts = this.ts;
    const items: ArrayItem[] = [];
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) {
        const v = this.evaluate(element.expression);
        if (isArrayValue(v)) {
          if (items.length + v.items.length > VALUE_LIMITS.items) return this.tooMany(element, items.length + v.items.length);
          for (const item of v.items) items.push(item);
        } else if (isUnresolved(v)) items.push({ node: element, value: v, unknownSpread: true });
        else items.push({ node: element, value: this.unresolved(element.expression, 'is not an array'), unknownSpread: true });
      } else if (ts.isOmittedExpression(element)) {
        items.push({ node: element, value: undefined });
      } else {
        items.push({ node: element, value: this.evaluate(element) });
      }
      if (items.length > VALUE_LIMITS.items) return this.tooMany(element, items.length);
    }
    return { kind: 'array', node, items };
  }

  private tooMany(node: TS.Node, count: number): Unresolved {
    return this.overLimit(node, `makes ${count} items, over the limit of ${VALUE_LIMITS.items} for one array or object`);
  }

  private object(node: TS.ObjectLiteralExpression): Value {
    const ts = this.ts;
    const entries: ObjectEntry[] = [];
    for (const prop of node.properties) {
      if (ts.isSpreadAssignment(prop)) {
        const v = this.evaluate(prop.expression);
        if (isObjectValue(v)) {
          if (entries.length + v.entries.length > VALUE_LIMITS.items) return this.tooMany(prop, entries.length + v.entries.length);
          for (const entry of v.entries) entries.push(entry);
        } else if (isUnresolved(v)) entries.push({ type: 'spread', unresolved: v });
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
    let state: 'new' | 'computing' | 'done' = 'new';
    let cached: Value;
    return {
      type: 'property',
      key,
      keyNode,
      valueNode,
      value: () => {
        // `const o = { x: o.y, y: o.x }`: reading x reads y, which reads x again.
        if (state === 'computing') return this.unresolved(valueNode, 'refers to itself');
        if (state === 'new') {
          state = 'computing';
          try {
            cached = compute();
          } finally {
            state = 'done';
          }
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

  /**
   * A chain of binary operators (`1 + 2 + … + 5000`) nests to the left: its left spine is walked
   * with a loop and folded from the innermost operand out, so a long sum costs no recursion.
   */
  private binary(node: TS.BinaryExpression): Value {
    const ts = this.ts;
    const spine: TS.BinaryExpression[] = [node];
    for (let left = node.left; ts.isBinaryExpression(left); left = left.left) spine.push(left);
    let value = this.evaluate(spine[spine.length - 1]!.left);
    for (let i = spine.length - 1; i >= 0; i--) value = this.applyBinary(spine[i]!, value);
    return value;
  }

  /** One binary operator, its left operand already evaluated. */
  private applyBinary(node: TS.BinaryExpression, left: Value): Value {
    const ts = this.ts;
    const op = node.operatorToken.kind;
    const S = ts.SyntaxKind;
    if (op >= S.FirstAssignment && op <= S.LastAssignment) return this.unresolved(node, 'assigns a variable');
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
    if (op === S.PlusToken && (typeof left === 'string' || typeof right === 'string') && primitive(left) && primitive(right)) {
      const length = String(left).length + String(right).length;
      return length > VALUE_LIMITS.stringLength ? this.tooLong(node, length) : String(left) + String(right);
    }
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
