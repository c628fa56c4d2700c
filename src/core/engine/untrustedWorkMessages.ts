import type { JsonSchema } from '../mcp/toolInfo';
import type { TranspileResult } from './transpile';

/** What UntrustedWork asks its worker thread to do. */
export type WorkTask =
  | { id: number; kind: 'transpile'; source: string }
  | { id: number; kind: 'check'; schemaId: number; schema: JsonSchema; value: unknown; root: 'args' | 'result' };

/** 'ready' once the worker has loaded, then one reply per task. */
export type WorkReply =
  'ready' | { id: number; ok: true; value: TranspileResult | string | undefined } | { id: number; ok: false; message: string };
