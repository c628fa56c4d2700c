import type * as TypeScript from 'typescript';
import type { TypeScriptModule } from './loadTypeScript';

/** JSON-level kinds of values a type admits; `any` when it could be anything. */
export type Kinds = Set<string> | 'any';

/** What kinds of value a type can hold at run time, as far as a JSON Schema validator tells them apart. */
export function kindsOf(ts: TypeScriptModule, checker: TypeScript.TypeChecker, type: TypeScript.Type, depth = 0): Kinds {
  const f = type.flags;
  const F = ts.TypeFlags;
  if (depth > 8 || f & (F.Any | F.Unknown | F.TypeParameter | F.Index | F.IndexedAccess | F.Conditional | F.Substitution)) {
    return 'any';
  }
  if (type.isUnion()) {
    const all = new Set<string>();
    for (const member of type.types) {
      const kinds = kindsOf(ts, checker, member, depth + 1);
      if (kinds === 'any') {
        return 'any';
      }
      kinds.forEach((kind) => all.add(kind));
    }
    return all;
  }
  if (type.isIntersection()) {
    return 'any';
  }
  if (f & F.StringLike) {
    return new Set(['string']);
  }
  if (f & F.NumberLike) {
    return new Set(['number']);
  }
  if (f & F.BooleanLike) {
    return new Set(['boolean']);
  }
  if (f & F.BigIntLike) {
    return new Set(['bigint']);
  }
  if (f & F.Null) {
    return new Set(['null']);
  }
  if (f & (F.Undefined | F.Void)) {
    return new Set(['undefined']);
  }
  if (f & F.ESSymbolLike) {
    return new Set(['symbol']);
  }
  if (f & F.Never) {
    return new Set();
  }
  if (f & F.Object) {
    if (type.getProperty('toJSON')) {
      return 'any'; // arguments travel as JSON: a Date becomes a string
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      return new Set(['array']);
    }
    if (type.getCallSignatures().length > 0 && type.getProperties().length === 0) {
      return new Set(['function']);
    }
    return new Set(['object']);
  }
  return 'any';
}

/** Whether no value of `value`'s kinds could be of `expected`'s kinds. */
export function disjoint(value: Kinds, expected: Kinds): boolean {
  if (value === 'any' || expected === 'any' || value.size === 0) {
    return false;
  }
  return ![...value].some((kind) => expected.has(kind));
}
