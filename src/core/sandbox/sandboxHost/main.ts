import type { ToolCallHandler } from '../contract/executor';
import { runInIsolate } from './runInIsolate';
import { isolatedVmVersion } from './isolatedVm';
import type { FromSandbox, ToSandbox } from '../contract/hostMessages';
import type { RunClock } from '../contract/runClock';

/**
 * Entry point of the sandbox host process: a plain Node (22, 24 or 26) started with --no-node-snapshot by SandboxHostExecutor.
 * It runs each script in a fresh isolate and forwards tool calls to its parent over IPC.
 */
const pendingCalls = new Map<string, (resultJson: string) => void>();
const runs = new Map<number, AbortController>();
const clocks = new Map<number, RunClock>();
let nextCallId = 1;

function send(message: FromSandbox): void {
  process.send?.(message);
}

function toolCallHandler(runId: number): ToolCallHandler {
  return (server, tool, argsJson) =>
    new Promise((resolve) => {
      const callId = nextCallId++;
      pendingCalls.set(`${runId}:${callId}`, resolve);
      send({ type: 'call', runId, callId, server, tool, argsJson });
    });
}

async function run(runId: number, message: Extract<ToSandbox, { type: 'run' }>): Promise<void> {
  const controller = new AbortController();
  runs.set(runId, controller);
  try {
    const result = await runInIsolate(message.request, toolCallHandler(runId), controller.signal, (clock) => clocks.set(runId, clock));
    send({ type: 'done', runId, result });
  } finally {
    runs.delete(runId);
    clocks.delete(runId);
    for (const key of pendingCalls.keys()) {
      if (key.startsWith(`${runId}:`)) {
        pendingCalls.delete(key);
      }
    }
  }
}

process.on('message', (message: ToSandbox) => {
  switch (message.type) {
    case 'run':
      void run(message.runId, message);
      break;
    case 'callResult': {
      const key = `${message.runId}:${message.callId}`;
      pendingCalls.get(key)?.(message.resultJson);
      pendingCalls.delete(key);
      break;
    }
    case 'cancel':
      runs.get(message.runId)?.abort();
      break;
    case 'hold':
      clocks.get(message.runId)?.hold();
      break;
    case 'release':
      clocks.get(message.runId)?.release();
      break;
  }
});

// Calls still pending when a run ends settle into a disposed isolate; that must not end the process.
process.on('unhandledRejection', (reason) => process.stderr.write(`unhandled rejection: ${String(reason)}\n`));
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', nodeVersion: process.version, isolatedVmVersion });
