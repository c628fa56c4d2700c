import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { linearRegExp } from './linearRegExp';
import type { JsonSchema } from './toolInfo';

type AjvInstance = Ajv | Ajv2019 | Ajv2020;

/** Ajv keeps every schema it compiled: after this many, the validator starts afresh so memory stays bounded. */
const maxCompiledSchemas = 500;

/**
 * Checks tool arguments against the tool's input schema before anything is sent (and results against its output
 * schema), in the schema's own dialect (draft-07 unless `$schema` says 2019-09 or 2020-12). Formats are not checked:
 * unknown ones must not fail a call. `pattern`s match in linear time (see linearRegExp). The schemas are the
 * servers': the engine runs this in a worker thread it stops when a check takes too long (engine/untrustedWork.ts).
 */
export class ArgumentValidator {
  private dialects = new Map<string, AjvInstance>();
  private compiled = new WeakMap<JsonSchema, ValidateFunction | 'unusable'>();
  private compiledCount = 0;

  /** Returns undefined when the value fits, else a message naming each offending field from `root`. */
  check(schema: JsonSchema, value: unknown, root = 'args'): string | undefined {
    const validate = this.compile(schema);
    if (validate === 'unusable' || validate(value)) {
      return undefined;
    }
    return (validate.errors ?? []).map((error) => describe(error, root)).join('; ');
  }

  private compile(schema: JsonSchema): ValidateFunction | 'unusable' {
    let validate = this.compiled.get(schema);
    if (!validate) {
      if (++this.compiledCount > maxCompiledSchemas) {
        this.dialects = new Map();
        this.compiled = new WeakMap();
        this.compiledCount = 1;
      }
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
      const options = {
        strict: false,
        allErrors: true,
        verbose: true,
        validateFormats: false,
        logger: false,
        code: { regExp: linearRegExp },
      } as const;
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

function describe(error: ErrorObject, root: string): string {
  const field = [root, ...error.instancePath.split('/').slice(1)].join('.');
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
