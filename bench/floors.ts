import { spawn } from 'node:child_process';
import { once } from 'node:events';
import ivm from 'isolated-vm';

/**
 * Physical floors, measured in this process: what no design on isolated-vm (or on a child process) can beat.
 * This is the only bench file besides the peer that loads isolated-vm in the bench process itself.
 */

/** A new isolate and context, one trivial evaluation, disposal. */
export async function bareIsolateRun(): Promise<void> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    await context.eval('1');
  } finally {
    isolate.dispose();
  }
}

/** Milliseconds per awaited call from isolate code to an async host function and back (a Reference with a promise result). */
export async function isolateCallRoundTrip(calls: number): Promise<number> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    const loop = await context.evalClosure(
      `return async (n) => {
        for (let i = 0; i < n; i++) {
          JSON.parse(await $0.apply(undefined, ['bench', 'echo', '{"text":"x"}'], { arguments: { copy: true }, result: { promise: true, copy: true } }));
        }
      };`,
      [async (_server: string, _tool: string, argsJson: string) => `{"value":${argsJson}}`],
      { arguments: { reference: true }, result: { reference: true } },
    );
    const started = performance.now();
    await loop.apply(undefined, [calls], { result: { promise: true } });
    return (performance.now() - started) / calls;
  } finally {
    isolate.dispose();
  }
}

/** Milliseconds per IPC round trip to a child Node process ('advanced' serialization, as the sandbox host uses). */
export async function ipcRoundTrip(messages: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', "process.on('message', (m) => process.send(m))"], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: {},
  });
  try {
    const message = { type: 'call', runId: 1, callId: 0, server: 'bench', tool: 'echo', argsJson: '{"text":"message 1"}' };
    const roundTrip = async () => {
      child.send(message);
      await once(child, 'message');
    };
    for (let i = 0; i < 50; i++) {
      await roundTrip(); // warm-up
    }
    const started = performance.now();
    for (let i = 0; i < messages; i++) {
      await roundTrip();
    }
    return (performance.now() - started) / messages;
  } finally {
    child.disconnect();
    if (child.exitCode === null) {
      await once(child, 'exit');
    }
  }
}
