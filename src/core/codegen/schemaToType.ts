import type { JsonSchema } from '../mcp/toolInfo';
import { objectInterfaceMembers } from './identifiers';

/** Names the type alias a `$ref` points to; undefined inlines its target; null makes it `unknown`. */
export type RefResolver = (ref: string) => string | null | undefined;

export interface SchemaToTypeOptions {
  /** Indentation of the line the type starts on; nested lines get two more spaces. */
  indent?: string;
  /** The document `#…` pointers resolve against; default: the schema itself. */
  root?: unknown;
  /** Names for `$ref`s (dts.ts names `$defs`); other refs are inlined, and a recursive one becomes `unknown`. */
  resolveRef?: RefResolver;
  /** Arguments, not results: a required property with a `default` may be left out, the server fills it in. */
  defaultsOptional?: boolean;
}

/** The type text, and the aliases it refers to eagerly (see `eager` below). */
export interface ConvertedType {
  text: string;
  eagerRefs: string[];
}

// Servers send whatever they like: bound nesting and total work so that no input can hang or blow up the output.
const MAX_DEPTH = 32;
const MAX_NODES = 10_000;

const PRIMITIVES = new Map([
  ['string', 'string'],
  ['number', 'number'],
  ['integer', 'number'],
  ['boolean', 'boolean'],
  ['null', 'null'],
]);

const OBJECT_MEMBERS = new Set(objectInterfaceMembers);

/**
 * A type being built: unions and intersections stay lists until rendered, so they can be flattened and deduped.
 * `eager` lists the named aliases TypeScript must resolve to resolve this type. An alias that eagerly reaches itself
 * is an error ("circularly references itself"); TypeScript defers only object literal members, and arrays and
 * tuples that are not under an optional or rest element and whose element is (a union with) an alias reference.
 */
type TypeNode =
  { kind: 'atom'; text: string; eager: readonly string[]; alias: boolean } | { kind: 'union' | 'intersection'; members: TypeNode[] };

const atom = (text: string, eager: readonly string[] = [], alias = false): TypeNode => ({ kind: 'atom', text, eager, alias });
const UNKNOWN = atom('unknown');
const NEVER = atom('never');

interface Conversion {
  root: unknown;
  resolveRef: RefResolver | undefined;
  defaultsOptional: boolean;
  /** Schemas being converted, to cut cycles in the object graph. */
  stack: Set<object>;
  nodes: number;
}

interface Position {
  indent: string;
  depth: number;
  /** Under an optional or rest tuple element (since the nearest object), where arrays and tuples are not deferred. */
  loose: boolean;
}

/** TypeScript type text for a JSON Schema (draft-07 to 2020-12, plus OpenAPI's `nullable`); never throws. */
export function schemaToType(schema: unknown, options: SchemaToTypeOptions = {}): string {
  return convertSchema(schema, options).text;
}

/** schemaToType, also telling which named aliases the type refers to eagerly (dts.ts breaks cycles with it). */
export function convertSchema(schema: unknown, options: SchemaToTypeOptions = {}): ConvertedType {
  const walk: Conversion = {
    root: options.root ?? schema,
    resolveRef: options.resolveRef,
    defaultsOptional: options.defaultsOptional ?? false,
    stack: new Set(),
    nodes: 0,
  };
  const type = convert(schema, walk, { indent: options.indent ?? '', depth: 0, loose: false });
  return { text: render(type), eagerRefs: [...new Set(eager(type))] };
}

function convert(schema: unknown, conversion: Conversion, at: Position): TypeNode {
  if (schema === true) {
    return UNKNOWN;
  }
  if (schema === false) {
    return NEVER;
  }
  if (!isSchema(schema) || at.depth > MAX_DEPTH || ++conversion.nodes > MAX_NODES || conversion.stack.has(schema)) {
    return UNKNOWN;
  }
  conversion.stack.add(schema);
  try {
    const type = fromKeywords(schema, conversion, at);
    return get(schema, 'nullable') === true ? union([type, atom('null')]) : type;
  } finally {
    conversion.stack.delete(schema);
  }
}

function fromKeywords(s: JsonSchema, conversion: Conversion, at: Position): TypeNode {
  const ref = get(s, '$ref');
  if (typeof ref === 'string') {
    // Keywords beside a $ref are ignored, as draft-07 says; later drafts would intersect them.
    return fromRef(ref, conversion, at);
  }
  if (Object.hasOwn(s, 'const')) {
    return literal(s.const);
  }
  const values = get(s, 'enum');
  if (Array.isArray(values)) {
    return union(values.map(literal));
  }
  const next = { ...at, depth: at.depth + 1 };
  const parts: TypeNode[] = [];
  const base = fromType(s, conversion, at);
  if (base !== undefined) {
    parts.push(base);
  }
  for (const key of ['anyOf', 'oneOf']) {
    const list = schemaList(s, key);
    if (list !== undefined) {
      parts.push(union(list.map((member) => convert(member, conversion, next))));
    }
  }
  parts.push(...(schemaList(s, 'allOf') ?? []).map((member) => convert(member, conversion, next)));
  return intersection(parts);
}

function fromRef(ref: string, conversion: Conversion, at: Position): TypeNode {
  const name = conversion.resolveRef?.(ref);
  if (name !== undefined) {
    return name === null ? UNKNOWN : atom(name, [name], true);
  }
  return convert(resolvePointer(conversion.root, ref), conversion, { ...at, depth: at.depth + 1 });
}

/** The `type` keyword, or the type implied by object/array keywords; undefined when nothing says. */
function fromType(s: JsonSchema, conversion: Conversion, at: Position): TypeNode | undefined {
  const type = get(s, 'type');
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type : impliedTypes(s);
  if (names.length === 0) {
    return type === undefined ? undefined : UNKNOWN;
  }
  return union(
    names.map((name) => {
      if (name === 'object') {
        return fromObject(s, conversion, at);
      }
      if (name === 'array') {
        return fromArray(s, conversion, at);
      }
      return atom((typeof name === 'string' && PRIMITIVES.get(name)) || 'unknown');
    }),
  );
}

function impliedTypes(s: JsonSchema): string[] {
  const has = (keys: string[]) => keys.some((key) => Object.hasOwn(s, key));
  return [
    ...(has(['properties', 'additionalProperties', 'patternProperties']) ? ['object'] : []),
    ...(has(['items', 'prefixItems']) ? ['array'] : []),
  ];
}

function fromObject(s: JsonSchema, conversion: Conversion, at: Position): TypeNode {
  const inner = `${at.indent}  `;
  const memberAt: Position = { indent: inner, depth: at.depth + 1, loose: false };
  const declared = get(s, 'properties');
  const properties = isSchema(declared) ? declared : {};
  const required = new Set(strings(get(s, 'required')));
  const lines: string[] = [];
  // Types of required properties; undefined for optional ones (they would add `| undefined`).
  const memberTypes: (string | undefined)[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const optional = !required.has(key) || (conversion.defaultsOptional && hasDefault(value));
    const text = inherited(key, optional, render(convert(value, conversion, memberAt)));
    lines.push(...docComment(descriptionOf(value), inner), `${inner}${propertyKey(key)}${optional ? '?' : ''}: ${text};`);
    memberTypes.push(optional ? undefined : text);
  }
  for (const key of required) {
    if (!Object.hasOwn(properties, key)) {
      lines.push(`${inner}${propertyKey(key)}: unknown;`);
      memberTypes.push('unknown');
    }
  }
  const index = indexType(s, conversion, memberAt, memberTypes);
  if (lines.length === 0 && !index?.includes('\n')) {
    return atom(`{ [key: string]: ${index ?? 'never'} }`);
  }
  if (index !== undefined) {
    lines.push(`${inner}[key: string]: ${index};`);
  }
  return atom(`{\n${lines.join('\n')}\n${at.indent}}`);
}

/** Whether a property schema declares a `default` (then a caller may leave the property out). */
export function hasDefault(schema: unknown): boolean {
  return isSchema(schema) && Object.hasOwn(schema, 'default');
}

/**
 * TypeScript checks an omitted optional property against the member every object inherits from Object.prototype
 * (`toString?: string` rejects `{}`, whose toString is a function): such a property also admits that member's type.
 */
function inherited(key: string, optional: boolean, text: string): string {
  return optional && OBJECT_MEMBERS.has(key) && text !== 'unknown' ? `${text} | Object[${quote(key)}]` : text;
}

/** The index signature's type, or undefined for none. */
function indexType(s: JsonSchema, conversion: Conversion, at: Position, memberTypes: (string | undefined)[]): string | undefined {
  const extra = get(s, 'additionalProperties');
  const patterns = get(s, 'patternProperties');
  const hasPatterns = isSchema(patterns) && Object.keys(patterns).length > 0;
  if (extra === false) {
    return hasPatterns ? 'unknown' : undefined;
  }
  if (extra === undefined || extra === true) {
    return hasPatterns || memberTypes.length === 0 ? 'unknown' : undefined;
  }
  const text = render(convert(extra, conversion, at));
  // TypeScript requires every property to fit the index signature: when they differ, only `unknown` is safe.
  return hasPatterns || memberTypes.some((t) => t !== text) ? 'unknown' : text;
}

function fromArray(s: JsonSchema, conversion: Conversion, at: Position): TypeNode {
  const itemAt: Position = { ...at, depth: at.depth + 1 };
  const looseAt: Position = { ...itemAt, loose: true }; // optional and rest elements
  const prefixItems = get(s, 'prefixItems');
  const items = get(s, 'items');
  const tuple = Array.isArray(prefixItems) ? prefixItems : Array.isArray(items) ? items : undefined;
  if (tuple === undefined) {
    const item = convert(items ?? true, conversion, itemAt);
    return atom(`${postfix(item)}[]`, deferred(at, [item]) ? [] : eager(item));
  }
  // 2020-12: prefixItems + items (the rest); draft-07: items array + additionalItems.
  const rest = tuple === prefixItems ? items : get(s, 'additionalItems');
  const min = count(get(s, 'minItems'), 0);
  const max = count(get(s, 'maxItems'), Infinity);
  const types = tuple.slice(0, max).map((item, i) => convert(item, conversion, i < min ? itemAt : looseAt));
  const elements = types.map((type, i) => (i < min ? render(type) : `${postfix(type)}?`));
  if (rest !== false && max > tuple.length) {
    const restType = convert(rest ?? true, conversion, looseAt);
    types.push(restType);
    elements.push(`...${postfix(restType)}[]`);
  }
  return atom(`[${elements.join(', ')}]`, deferred(at, types) ? [] : types.flatMap(eager));
}

/** Whether TypeScript defers an array or tuple with these element types (its checker's isDeferredTypeReferenceNode). */
function deferred(at: Position, elements: TypeNode[]): boolean {
  return !at.loose && elements.some(refersToAlias);
}

function refersToAlias(t: TypeNode): boolean {
  return t.kind === 'atom' ? t.alias : t.members.some(refersToAlias);
}

function eager(t: TypeNode): readonly string[] {
  return t.kind === 'atom' ? t.eager : t.members.flatMap(eager);
}

function literal(value: unknown): TypeNode {
  if (typeof value === 'string') {
    return atom(quote(value));
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || value === null) {
    return atom(String(value));
  }
  return UNKNOWN; // objects and arrays have no literal type
}

function union(types: TypeNode[]): TypeNode {
  const members = dedupe(types.flatMap((t) => (t.kind === 'union' ? t.members : [t]))).filter((t) => !is(t, 'never'));
  if (members.some((t) => is(t, 'unknown'))) {
    return UNKNOWN;
  }
  return members.length === 0 ? NEVER : members.length === 1 ? members[0] : { kind: 'union', members };
}

function intersection(types: TypeNode[]): TypeNode {
  const members = dedupe(types.flatMap((t) => (t.kind === 'intersection' ? t.members : [t]))).filter((t) => !is(t, 'unknown'));
  if (members.some((t) => is(t, 'never'))) {
    return NEVER;
  }
  return members.length === 0 ? UNKNOWN : members.length === 1 ? members[0] : { kind: 'intersection', members };
}

function render(t: TypeNode): string {
  switch (t.kind) {
    case 'atom':
      return t.text;
    case 'union':
      return t.members.map(render).join(' | ');
    case 'intersection':
      return t.members.map((m) => (m.kind === 'union' ? `(${render(m)})` : render(m))).join(' & ');
  }
}

/** Text that can take `[]` or `?` after it. */
function postfix(t: TypeNode): string {
  return t.kind === 'atom' ? t.text : `(${render(t)})`;
}

function dedupe(types: TypeNode[]): TypeNode[] {
  const seen = new Set<string>();
  return types.filter((t) => {
    const text = render(t);
    return seen.has(text) ? false : (seen.add(text), true);
  });
}

function is(t: TypeNode, text: string): boolean {
  return t.kind === 'atom' && t.text === text;
}

/** A JSON string literal that is also a valid TypeScript string literal on any engine (U+2028/9 escaped). */
export function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function propertyKey(key: string): string {
  // ASCII only: Unicode identifier tables differ between engines and TypeScript versions; quotes always work.
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** JSDoc lines for `text` at `indent`; `*\/` is escaped so the comment cannot end early. */
export function docComment(text: string, indent: string): string[] {
  const lines = text.split(/\r\n|[\n\r\u2028\u2029]/).map((line) => line.replaceAll('*/', '*\\/').trimEnd());
  while (lines.length > 0 && lines[0].trim() === '') {
    lines.shift();
  }
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') {
    lines.pop();
  }
  if (lines.length <= 1) {
    return lines.map((line) => `${indent}/** ${line.trim()} */`);
  }
  return [`${indent}/**`, ...lines.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`];
}

export function descriptionOf(schema: unknown): string {
  const description = isSchema(schema) ? get(schema, 'description') : undefined;
  return typeof description === 'string' ? description : '';
}

/** Follows a local JSON Pointer (`#`, `#/$defs/a~1b`); undefined when it leaves the document. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) {
    return undefined; // another document
  }
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment === '') {
    return root;
  }
  if (!fragment.startsWith('/')) {
    return undefined; // an `$anchor`
  }
  let node = root;
  for (const token of fragment.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(key)) {
      node = node[Number(key)];
    } else if (isSchema(node) && Object.hasOwn(node, key)) {
      node = node[key];
    } else {
      return undefined;
    }
  }
  return node;
}

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: a schema must not reach `constructor` or `__proto__` through the prototype. */
function get(s: JsonSchema, key: string): unknown {
  return Object.hasOwn(s, key) ? s[key] : undefined;
}

function schemaList(s: JsonSchema, key: string): unknown[] | undefined {
  const list = get(s, key);
  return Array.isArray(list) && list.length > 0 ? list : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}
