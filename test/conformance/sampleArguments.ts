import type { JsonSchema } from '../../src/core/mcp/toolInfo';

interface PropertySchema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
}

/** Arguments that fit a tool's input schema well enough to call it: each required property gets a plain value of its type. */
export function sampleArguments(inputSchema: JsonSchema): Record<string, unknown> {
  const { properties = {}, required = [] } = inputSchema as { properties?: Record<string, PropertySchema>; required?: string[] };
  const args: Record<string, unknown> = {};
  for (const name of required) {
    const property = properties[name] ?? {};
    args[name] = property.default ?? property.enum?.[0] ?? sampleOfType(property.type);
  }
  return args;
}

function sampleOfType(type: string | undefined): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'sample';
  }
}
