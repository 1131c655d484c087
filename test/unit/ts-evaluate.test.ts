// The static evaluator: what resolves (literals, const chains, arithmetic, arrays, objects,
// spreads, destructuring, as const / satisfies, templates, pure Math functions) and what is
// reported as unresolved, naming the innermost expression and the reason.

import { strict as assert } from 'node:assert';
import * as ts from 'typescript';
import { Evaluator, isUnresolved, toPlain, type Value } from '../../src/core/frontends/ts/evaluate';
import { TsSource } from '../../src/core/frontends/ts/source';

/** Evaluates the initializer of `const result = ...` (the last statement) in `code`. */
function evaluate(code: string): { value: unknown; unresolved?: { text: string; reason: string } } {
  const file = ts.createSourceFile('t.ts', code, ts.ScriptTarget.Latest, true);
  const source = new TsSource(ts, file);
  const evaluator = new Evaluator(source);
  let init: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'result') init = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(file);
  const value: Value = evaluator.evaluate(init!);
  const plain = toPlain(value, evaluator, init!);
  if (plain.ok) return { value: plain.value };
  return { value: undefined, unresolved: { text: plain.unresolved.node.getText(file), reason: plain.unresolved.reason } };
}

function resolves(code: string, expected: unknown) {
  const r = evaluate(code);
  assert.equal(r.unresolved, undefined, `unresolved: ${JSON.stringify(r.unresolved)}`);
  assert.deepEqual(r.value, expected);
}

function unresolved(code: string, text: string, reason: RegExp) {
  const r = evaluate(code);
  assert.ok(r.unresolved, `resolved to ${JSON.stringify(r.value)}`);
  assert.equal(r.unresolved.text, text);
  assert.match(r.unresolved.reason, reason);
}

describe('static evaluator', () => {
  it('resolves literals, unary minus, parentheses and arithmetic on consts', () => {
    resolves('const result = 42;', 42);
    resolves('const result = -3;', -3);
    resolves('const inputSize = 224; const result = inputSize / 2;', 112);
    resolves('const base = 16; const result = (2 * base + 1) % 5 - -1;', 4);
    resolves('const result = 2 ** 5;', 32);
    resolves('const result = 0x10 + 1_000;', 1016);
    resolves("const result = 'same';", 'same');
    resolves('const result = `valid`;', 'valid');
    resolves('const result = true && null;', null);
    resolves("const a = 3; const result = a > 2 ? 'big' : 'small';", 'big');
    resolves('const result = undefined ?? 7;', 7);
  });

  it('follows const chains, arrays, objects, spreads, element and property access', () => {
    resolves('const a = 2; const b = a * 3; const c = [b, b + 1]; const result = c;', [6, 7]);
    resolves('const k = [3, 5] as const; const result = k[1];', 5);
    resolves('const base = { filters: 8, kernelSize: 3 }; const result = { ...base, filters: base.filters * 2 };', {
      filters: 16,
      kernelSize: 3,
    });
    resolves('const stem = [1, 2]; const result = [0, ...stem, 3];', [0, 1, 2, 3]);
    resolves("const cfg = { 'kernel-size': 3 }; const result = cfg['kernel-size'];", 3);
    resolves('const xs = [1, 2, 3]; const result = xs.length;', 3);
    resolves('const key = "a"; const result = { [key]: 1 };', { a: 1 });
    resolves('const shorthand = 4; const result = { shorthand };', { shorthand: 4 });
  });

  it('sees through as const, satisfies, type assertions and non-null assertions', () => {
    resolves('const result = [1, 2] as const;', [1, 2]);
    resolves('const result = ({ a: 1 } satisfies { a: number });', { a: 1 });
    resolves('const x = 3; const result = <number>x;', 3);
    resolves('const x = 3; const result = x!;', 3);
  });

  it('resolves destructuring, templates and pure Math functions', () => {
    resolves('const { h, w: width } = { h: 28, w: 32 }; const result = [h, width];', [28, 32]);
    resolves('const [first, , third] = [1, 2, 3]; const result = first + third;', 4);
    resolves('const i = 2; const result = `conv${i}_${"a"}`;', 'conv2_a');
    resolves('const size = 225; const result = Math.floor(size / 2) + Math.max(1, 3) + Math.ceil(0.5);', 116);
  });

  it('uses the nearest declaration (shadowing) and not declarations in other functions', () => {
    resolves('const n = 1; function f() { const n = 2; const result = n; }', 2);
    resolves('const n = 1; { const result = n; }', 1);
    unresolved('function f(n: number) { const result = n * 2; }', 'n', /function parameter/);
  });

  it('reports function calls, imports, lets, new, await and loops, naming the innermost expression', () => {
    unresolved('const result = 2 * width();', 'width()', /is a function call/);
    unresolved("import { SIZE } from './data'; const result = SIZE / 2;", 'SIZE', /imported from '\.\/data'/);
    unresolved('let n = 3; const result = n;', 'n', /declared with let/);
    unresolved('const result = new Array(3);', 'new Array(3)', /creates an object at run time/);
    unresolved('async function f() { const result = await g(); }', 'await g()', /awaits a value at run time/);
    unresolved('for (const i of [1, 2]) { const result = i; }', 'i', /loop variable/);
    unresolved('const result = missing + 1;', 'missing', /not defined in this file/);
    unresolved('const a = b; const b = a; const result = a;', 'a', /refers to itself/);
    unresolved('const o = { get x() { return 1; } }; const result = o.x;', 'get x() { return 1; }', /method or accessor/);
    unresolved('const result = [1, ...more()];', 'more()', /is a function call/);
    unresolved('const result = (() => { throw new Error("x"); })();', '(() => { throw new Error("x"); })()', /is a function call/);
  });

  it('keeps unread object properties unevaluated (no diagnostics for initializers nobody reads)', () => {
    const code = 'const cfg = { filters: 8, kernelInitializer: heNormal() };';
    const file = ts.createSourceFile('t.ts', code, ts.ScriptTarget.Latest, true);
    const evaluator = new Evaluator(new TsSource(ts, file));
    const decl = (file.statements[0] as ts.VariableStatement).declarationList.declarations[0]!;
    const value = evaluator.evaluate(decl.initializer!);
    assert.ok(!isUnresolved(value) && typeof value === 'object' && value !== null && value.kind === 'object');
    const entries = value.entries.filter((e) => e.type === 'property');
    assert.equal(entries[0]!.type === 'property' && entries[0]!.value(), 8);
    assert.ok(entries[1]!.type === 'property' && isUnresolved(entries[1]!.value()));
  });
});
