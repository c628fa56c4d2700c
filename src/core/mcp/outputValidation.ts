import type { JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/client';

/**
 * Given to the SDK's Client in place of its Ajv validator, which compiles every tool's output schema when the list
 * arrives and checks results on the host's event loop: a catastrophic `pattern` there froze the host, and one
 * schema that did not compile (an unresolvable `$ref`) failed the whole server's tool list. The engine checks
 * results itself, in a worker thread it can stop, and a schema that does not compile degrades that one tool only.
 */
export const acceptEveryOutput: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input) => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};
