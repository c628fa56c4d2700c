import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/client';

/**
 * A non-interactive answer to a form elicitation: accept with an empty form when every required field has a default
 * (the hub's client declares `applyDefaults`, so the SDK fills them in), decline otherwise. Nobody is asked anything,
 * which suits a test client; the product leaves elicitation undeclared unless its host supplies a real form.
 */
export async function acceptDefaults(request: ElicitRequestFormParams): Promise<ElicitResult> {
  const { properties, required = [] } = request.requestedSchema;
  const answerable = required.every((field) => properties[field] !== undefined && 'default' in properties[field]);
  return answerable ? { action: 'accept', content: {} } : { action: 'decline' };
}
