import type * as TypeScript from 'typescript';
import type { TypeScriptModule } from './loadTypeScript';
import { nodeAt } from './nodeAt';
import { disjoint, kindsOf } from './typeKinds';

// Diagnostic codes by what they mean; each rule below blocks only the cases that would certainly fail at run time.
const UNDECLARED_NAME = new Set([2304, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593, 2662, 2663]);
const MISSING_PROPERTY = new Set([2339, 2551]);
const NOT_CALLABLE = new Set([2349]);
const ASSIGNABILITY = new Set([2322, 2345, 2559, 2820]);
const MISSING_MEMBER = new Set([2739, 2740, 2741]);
const EXCESS_PROPERTY = new Set([2353, 2561]);
const ARITY = new Set([2554, 2555]);
/** Assigning a const, using a block-scoped name before its declaration, declaring one twice, await outside async. */
const ALWAYS = new Set([2588, 2448, 2449, 2450, 2451, 1308]);

export interface RuleContext {
  ts: TypeScriptModule;
  checker: TypeScript.TypeChecker;
  script: TypeScript.SourceFile;
  api: TypeScript.SourceFile;
}

/** Whether a semantic diagnostic in the script marks a certain run-time failure (syntax errors always do). */
export function blocks(context: RuleContext, diagnostic: TypeScript.Diagnostic): boolean {
  const { ts, script } = context;
  const code = diagnostic.code;
  if (ALWAYS.has(code)) {
    return true;
  }
  const node = diagnostic.start === undefined ? undefined : nodeAt(ts, script, diagnostic.start, diagnostic.length ?? 0);
  if (!node) {
    return false;
  }
  if (UNDECLARED_NAME.has(code)) {
    // A type that does not exist is erased before the run, and `typeof x` of a missing x is "undefined"; any other
    // use of a value that does not exist throws a ReferenceError.
    return !inTypePosition(ts, node) && !ts.isTypeOfExpression(node.parent);
  }
  if (MISSING_PROPERTY.has(code) || NOT_CALLABLE.has(code)) {
    const receiver = receiverOf(ts, node, code);
    return receiver !== undefined && missingOnReliableType(context, receiver, code === 2349 ? undefined : propertyName(ts, node));
  }
  const call = apiCallAround(context, node);
  if (!call) {
    return false;
  }
  if (EXCESS_PROPERTY.has(code)) {
    return true;
  }
  if (ARITY.has(code)) {
    return call.arguments.length === 0;
  }
  if (MISSING_MEMBER.has(code)) {
    return isFreshObject(ts, valueExpression(ts, node));
  }
  if (ASSIGNABILITY.has(code)) {
    return (
      mismatches(context, valueExpression(ts, node)) ||
      (chainHas(diagnostic, MISSING_MEMBER) && isFreshObject(ts, valueExpression(ts, node)))
    );
  }
  return false;
}

function inTypePosition(ts: TypeScriptModule, node: TypeScript.Node): boolean {
  for (let n: TypeScript.Node | undefined = node; n && !ts.isStatement(n); n = n.parent) {
    if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) {
      return true;
    }
  }
  return false;
}

/** The expression whose type lacks the property (`a.b` → `a`), or that is called (`a()` → `a`). */
function receiverOf(ts: TypeScriptModule, node: TypeScript.Node, code: number): TypeScript.Expression | undefined {
  if (code === 2349) {
    const call = ts.isCallExpression(node.parent) && node.parent.expression === node ? node.parent : undefined;
    return call ? (node as TypeScript.Expression) : undefined;
  }
  return ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent.expression : undefined;
}

function propertyName(ts: TypeScriptModule, node: TypeScript.Node): string | undefined {
  return ts.isIdentifier(node) || ts.isPrivateIdentifier(node) ? node.text : undefined;
}

/**
 * A property missing (or a call of a non-function) on a value whose type the script did not make up: the `mcp`
 * object, a server's tools, a result typed by its output schema, or a Promise (a missing `await`). On the script's
 * own objects TypeScript is often wrong (`const o = {}; o.x = 1`), so those never block.
 */
function missingOnReliableType(context: RuleContext, receiver: TypeScript.Expression, property: string | undefined): boolean {
  const { checker } = context;
  const type = checker.getNonNullableType(checker.getTypeAtLocation(receiver));
  const members = type.isUnion() ? type.types : [type];
  return (
    members.length > 0 &&
    members.every((member) => isPromise(member) || declaredInApi(context, member)) &&
    members.every((member) => property === undefined || member.getProperty(property) === undefined)
  );
}

function isPromise(type: TypeScript.Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getName() === 'Promise' && (symbol.getDeclarations() ?? []).some((d) => d.getSourceFile().hasNoDefaultLib);
}

function declaredInApi(context: RuleContext, type: TypeScript.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const declarations = symbol?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((d) => d.getSourceFile() === context.api);
}

/** The call of an API tool (`mcp.s.t(…)` or `mcp.call(…)`) whose arguments contain the node. */
function apiCallAround(context: RuleContext, node: TypeScript.Node): TypeScript.CallExpression | undefined {
  const { ts, checker } = context;
  for (let n: TypeScript.Node = node; n.parent && !ts.isStatement(n); n = n.parent) {
    const parent = n.parent;
    if (ts.isCallExpression(parent) && (parent.arguments.includes(n as TypeScript.Expression) || n === parent.expression)) {
      if (n === parent.expression && !ts.isPropertyAccessExpression(n)) {
        return undefined;
      }
      const callee = ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name : parent.expression;
      const declarations = checker.getSymbolAtLocation(callee)?.getDeclarations() ?? [];
      return declarations.length > 0 && declarations.every((d) => d.getSourceFile() === context.api) ? parent : undefined;
    }
    if (ts.isFunctionLike(n)) {
      return undefined;
    }
  }
  return undefined;
}

/** The value a diagnostic on an argument or an object literal property is about. */
function valueExpression(ts: TypeScriptModule, node: TypeScript.Node): TypeScript.Expression | undefined {
  const parent = node.parent;
  if (parent && ts.isPropertyAssignment(parent) && parent.name === node) {
    return parent.initializer;
  }
  if (ts.isShorthandPropertyAssignment(node)) {
    return node.name;
  }
  if (parent && ts.isShorthandPropertyAssignment(parent)) {
    return parent.name;
  }
  return ts.isExpression(node) ? node : undefined;
}

function isFreshObject(ts: TypeScriptModule, expression: TypeScript.Expression | undefined): boolean {
  return expression !== undefined && ts.isObjectLiteralExpression(skipParentheses(ts, expression));
}

function skipParentheses(ts: TypeScriptModule, expression: TypeScript.Expression): TypeScript.Expression {
  return ts.isParenthesizedExpression(expression) ? skipParentheses(ts, expression.expression) : expression;
}

/**
 * Whether no value of the expression's type could pass the schema: another kind of value (a string for an object, a
 * Promise for a string), or literals none of which the schema allows. `let sort = "asc"` (type string) for
 * `"asc" | "desc"` may well be right at run time, so it does not block.
 */
function mismatches(context: RuleContext, expression: TypeScript.Expression | undefined): boolean {
  const { ts, checker } = context;
  if (!expression) {
    return false;
  }
  const expected = checker.getContextualType(expression);
  if (!expected) {
    return false;
  }
  const value = checker.getTypeAtLocation(expression);
  const valueKinds = kindsOf(ts, checker, value);
  const expectedKinds = kindsOf(ts, checker, expected);
  if (disjoint(valueKinds, expectedKinds)) {
    return true;
  }
  return literalsOutside(ts, value, expected);
}

/** A literal value (or union of literals) none of which is among the expected type's literals of that kind. */
function literalsOutside(ts: TypeScriptModule, value: TypeScript.Type, expected: TypeScript.Type): boolean {
  const values = value.isUnion() ? value.types : [value];
  const allowed = expected.isUnion() ? expected.types : [expected];
  if (!values.every((v) => v.isStringLiteral() || v.isNumberLiteral())) {
    return false;
  }
  return values.every((v) => {
    const sameKind = allowed.filter((a) => (v.isStringLiteral() ? a.flags & ts.TypeFlags.StringLike : a.flags & ts.TypeFlags.NumberLike));
    return (
      sameKind.length > 0 &&
      sameKind.every((a) => (a.isStringLiteral() || a.isNumberLiteral()) && a.value !== (v as TypeScript.LiteralType).value)
    );
  });
}

function chainHas(diagnostic: TypeScript.Diagnostic, codes: ReadonlySet<number>): boolean {
  const visit = (chain: TypeScript.DiagnosticMessageChain | string): boolean =>
    typeof chain !== 'string' && (codes.has(chain.code) || (chain.next ?? []).some(visit));
  return visit(diagnostic.messageText);
}
