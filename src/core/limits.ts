/**
 * Host-side bounds on what scripts and servers send, in one place. They are not settings: no honest script or server
 * comes near them, and each one keeps a hostile one from flooding or freezing the host (README, "Security model").
 */
export const hostLimits = {
  /** Characters of a server or tool name kept in call records, summaries and messages. */
  maxNameChars: 256,
  /** Characters of an error message (a script's, a server's) kept. */
  maxErrorChars: 10_000,
  /** Characters of a tool result copied into the sandbox; a bigger one is refused. */
  maxToolResultChars: 16_000_000,
  /** Nesting depth of a call's arguments; a deeper call is refused before its JSON is parsed. */
  maxArgumentDepth: 100,
  /** Pages of a server's tool list followed; a server that pages on is cut off there. */
  maxToolListPages: 100,
  /** Tools kept per server. */
  maxToolsPerServer: 10_000,
  /** Milliseconds one transpile or schema check may take in the worker before it is stopped (the run's deadline too). */
  untrustedWorkMs: 2_000,
  /** Tool calls listed one by one in the log; the rest are counted. */
  maxLoggedCalls: 100,
} as const;
