// Scopes for the static evaluator: where an identifier is declared, found by walking outward
// through the enclosing blocks, functions and the file (the parser does not bind), and what a
// declaration is: a const or let (possibly destructured), a parameter, an import, a function.

import type * as TS from 'typescript';
import type { TypeScriptModule } from './source';

export type Declaration =
  | { kind: 'variable'; decl: TS.VariableDeclaration; constant: boolean; path: (string | number)[] }
  | { kind: 'parameter'; node: TS.Node; owner: TS.Node }
  | { kind: 'import'; node: TS.Node; module: string }
  | { kind: 'function'; node: TS.Node }
  | { kind: 'other'; node: TS.Node; what: string };

export interface ImportedFrom {
  module: string;
  /** The imported name (`layers` in `import { layers } from ...`); undefined for namespaces. */
  imported?: string;
}

/** Where an identifier is declared, walking outward through the enclosing scopes. */
export function findDeclaration(ts: TypeScriptModule, id: TS.Identifier): Declaration | undefined {
  const name = id.text;
  for (let scope: TS.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      for (const param of scope.parameters) {
        if (bindsName(ts, param.name, name)) return { kind: 'parameter', node: param, owner: scope };
      }
      if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name?.text === name)
        return { kind: 'function', node: scope };
    }
    if (
      (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
      scope.initializer &&
      ts.isVariableDeclarationList(scope.initializer)
    ) {
      if (scope.initializer.declarations.some((d) => bindsName(ts, d.name, name)))
        return { kind: 'other', node: scope, what: 'a loop variable' };
    }
    if (ts.isCatchClause(scope) && scope.variableDeclaration && bindsName(ts, scope.variableDeclaration.name, name))
      return { kind: 'other', node: scope, what: 'a caught error' };
    const statements =
      ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)
        ? scope.statements
        : undefined;
    if (statements) {
      const found = declarationIn(ts, statements, name);
      if (found) return found;
    }
  }
  return undefined;
}

function declarationIn(ts: TypeScriptModule, statements: readonly TS.Statement[], name: string): Declaration | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const decl of statement.declarationList.declarations) {
        if (!bindsAny(ts, decl.name, name)) continue;
        const path = bindingPath(ts, decl.name, name);
        return path
          ? { kind: 'variable', decl, constant, path }
          : { kind: 'other', node: decl, what: 'destructured with a default or rest element' };
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
export function importedModule(ts: TypeScriptModule, id: TS.Identifier): ImportedFrom | undefined {
  const decl = findDeclaration(ts, id);
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

function bindsName(ts: TypeScriptModule, binding: TS.BindingName, name: string): boolean {
  return bindsAny(ts, binding, name);
}

/** The property path from a declaration's value to `name` in a (possibly destructuring) binding. */
function bindingPath(ts: TypeScriptModule, binding: TS.BindingName, name: string): (string | number)[] | undefined {
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
function bindsAny(ts: TypeScriptModule, binding: TS.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsAny(ts, e.name, name));
}
