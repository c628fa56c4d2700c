// The worker thread of UntrustedWork (bundled as dist/untrustedWork.js): transpiles scripts and checks values against
// servers' schemas, where a pathological input can be stopped by terminating the thread.
import { parentPort } from 'node:worker_threads';
import { ArgumentValidator } from '../mcp/argumentValidator';
import type { JsonSchema } from '../mcp/toolInfo';
import { transpile } from './transpile';
import type { WorkReply, WorkTask } from './untrustedWorkMessages';

const validator = new ArgumentValidator();

parentPort?.on('message', (task: WorkTask) => {
  let reply: WorkReply;
  try {
    reply =
      task.kind === 'transpile'
        ? { id: task.id, ok: true, value: transpile(task.source) }
        : { id: task.id, ok: true, value: validator.check(schemaFor(task.schemaId, task.schema), task.value, task.root) };
  } catch (error: unknown) {
    reply = { id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
// Loaded: the host starts each task's clock only from here, so a slow start is not charged to the first task.
parentPort?.postMessage('ready');

/** The same object for the same schema id, so the validator's cache of compiled schemas is hit. */
const schemas = new Map<number, JsonSchema>();
const maxSchemas = 1_000;

function schemaFor(id: number, schema: JsonSchema): JsonSchema {
  let known = schemas.get(id);
  if (!known) {
    if (schemas.size >= maxSchemas) {
      schemas.clear();
    }
    known = schema;
    schemas.set(id, known);
  }
  return known;
}
