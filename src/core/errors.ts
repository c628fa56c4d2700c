/** An error Code Mode raises on purpose, with a message meant for the user or the model. */
export class CodeModeError extends Error {
  override name = 'CodeModeError';
}

/** A tool call that failed: the server said `isError`, answered with a JSON-RPC error, or does not exist. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    message: string,
    readonly server: string,
    readonly tool: string,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === 'string' ? error : safeString(error);
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
