import type { ToolAnnotations } from '../approval/toolAnnotations';

/** A JSON Schema object as a server sends it; treated as untrusted data. */
export type JsonSchema = { [key: string]: unknown };

/** The part of an MCP tool definition that Code Mode uses. */
export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** The MCP Apps UI its results are shown in (`_meta.ui.resourceUri`). */
  appUri?: string;
  /** The server's hints about what the tool does (only the boolean ones). */
  annotations?: ToolAnnotations;
  /** A 2025-era tool that must be called as a task (`execution.taskSupport: "required"`, 2025-11-25). */
  requiresTask?: true;
}

/** One server's tools, in the order the server lists them. */
export interface ServerTools {
  server: string;
  tools: ToolInfo[];
  /** Code Mode's own word on where these tools come from (a tool source's), shown in the API index. */
  note?: string;
}
