import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import type { JsonSchema } from './toolInfo';

type AjvInstance = Ajv | Ajv2019 | Ajv2020;

/**
 * Checks tool arguments against the tool's input schema before anything is sent, in the schema's own dialect
 * (draft-07 unless `$schema` says 2019-09 or 2020-12). Formats are not checked: unknown ones must not fail a call.
 */
export class ArgumentValidator {
  private readonly dialects = new Map<string, AjvInstance>();
  private readonly compiled = new WeakMap<JsonSchema, ValidateFunction | 'unusable'>();

  /** Returns undefined when the arguments fit, else a message naming each offending field. */
  check(schema: JsonSchema, args: unknown): string | undefined {
    const validate = this.compile(schema);
    if (validate === 'unusable' || validate(args)) {
      return undefined;
    }
    return (validate.errors ?? []).map(describe).join('; ');
  }

  private compile(schema: JsonSchema): ValidateFunction | 'unusable' {
    let validate = this.compiled.get(schema);
    if (!validate) {
      try {
        // $id is dropped so that a refreshed tool list can compile the same schema again.
        const { $schema, $id: _id, ...rest } = schema;
        validate = this.dialect(typeof $schema === 'string' ? $schema : '').compile(defaultsOptional(rest) as JsonSchema);
      } catch {
        // A schema Ajv cannot compile is the server's problem; the server still validates what it receives.
        validate = 'unusable';
      }
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private dialect(uri: string): AjvInstance {
    const key = uri.includes('2020-12') ? '2020' : uri.includes('2019-09') ? '2019' : '07';
    let ajv = this.dialects.get(key);
    if (!ajv) {
      const options = { strict: false, allErrors: true, verbose: true, validateFormats: false, logger: false } as const;
      ajv = key === '2020' ? new Ajv2020(options) : key === '2019' ? new Ajv2019(options) : new Ajv(options);
      this.dialects.set(key, ajv);
    }
    return ajv;
  }
}

/**
 * A copy of the schema in which a required property that has a `default` is optional: the server fills it in, and
 * published servers declare such properties (a screenshot's `scale`). Keywords are walked as plain JSON.
 */
function defaultsOptional(node: unknown, depth = 0): unknown {
  if (typeof node !== 'object' || node === null || depth > 64) {
    return node;
  }
  if (Array.isArray(node)) {
    return node.map((item) => defaultsOptional(item, depth + 1));
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Defined, not assigned: a property named `__proto__` (JSON.parse makes it an own one) must stay a property.
    Object.defineProperty(copy, key, { value: defaultsOptional(value, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  const properties = copy.properties;
  if (Array.isArray(copy.required) && typeof properties === 'object' && properties !== null) {
    const defaulted = (key: unknown) =>
      typeof key === 'string' && Object.hasOwn(properties, key) && hasDefault((properties as Record<string, unknown>)[key]);
    copy.required = copy.required.filter((key) => !defaulted(key));
  }
  return copy;
}

function hasDefault(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && Object.hasOwn(schema, 'default');
}

function describe(error: ErrorObject): string {
  const field = ['args', ...error.instancePath.split('/').slice(1)].join('.');
  switch (error.keyword) {
    case 'required':
      return `${field}.${String(error.params.missingProperty)} is required`;
    case 'additionalProperties':
      return `${field}.${String(error.params.additionalProperty)} is not an expected field`;
    case 'type':
      return `${field} must be ${String(error.params.type)}, received ${typeOf(error.data)}`;
    case 'enum':
      return `${field} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
