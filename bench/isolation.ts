// What isolating runs from each other costs: one sandbox host process per run in flight (isolated-vm) and one worker
// thread per run in flight (QuickJS). `npm run bench` reports these lines; `npx tsx bench/isolation.ts` prints them alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../src/core/engine/engine';
import { McpHub } from '../src/core/mcp/hub';
import type { Executor } from '../src/core/sandbox/contract/executor';
import { SandboxHostExecutor } from '../src/core/sandbox/launcher/sandboxHostExecutor';
import { QuickJsExecutor } from '../src/core/sandbox/quickJs/quickJsExecutor';
import { formatMs, summarize, timeOnce } from './stats';

const dist = join(__dirname, '..', 'dist');

async function engineOver(executor: Executor): Promise<{ engine: Engine; dispose(): Promise<void> }> {
  const hub = new McpHub({ variables: { env: {}, input: async () => undefined, workspaceFolder: process.cwd() } });
  await hub.reconcile([]);
  const engine = new Engine(hub, executor);
  return { engine, dispose: async () => void (await Promise.all([executor.dispose(), hub.closeAll()])) };
}

async function medianOf(times: number, task: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    samples.push(await timeOnce(task));
  }
  return summarize(samples).median;
}

function rssMb(pid: number | undefined): string {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return `${Math.round(kb / 1024)} MB`;
  } catch {
    return 'n/a';
  }
}

/** Cold first run, warm run one after another, and 4 runs at once (3 of them on a new process or worker). */
async function measure(name: string, create: () => Executor): Promise<string[]> {
  const cold = await engineOver(create());
  const coldMs = await timeOnce(() => cold.engine.run('return 1'));
  await cold.dispose();
  const warm = await engineOver(create());
  await warm.engine.run('return 1');
  const sequentialMs = await medianOf(20, () => warm.engine.run('return 1'));
  const concurrentMs = await medianOf(5, () => Promise.all(Array.from({ length: 4 }, () => warm.engine.run('return 1'))));
  const idle = (warm.engine as unknown as { executor: { child?: Promise<{ pid: number }> } }).executor.child;
  const rss = idle ? `; an idle sandbox host process holds ${rssMb((await idle).pid)} RSS` : '';
  await warm.dispose();
  return [
    `${name}: first run ${formatMs(coldMs)} ms (process or worker start included); warm runs one after another ` +
      `${formatMs(sequentialMs)} ms each (median of 20, one process or worker reused); 4 runs at once ` +
      `${formatMs(concurrentMs)} ms per wave (median of 5, each run in a process or worker of its own)${rss}.`,
  ];
}

export async function measureIsolation(): Promise<string[]> {
  return [
    ...(await measure('isolated-vm, one sandbox host process per run in flight', () => {
      return new SandboxHostExecutor({ nodePath: process.execPath, hostScript: join(dist, 'sandboxHost.js') });
    })),
    ...(await measure('QuickJS, one worker thread per run in flight', () => {
      return new QuickJsExecutor({ wasmPath: join(dist, 'quickjs.wasm'), workerScript: join(dist, 'quickJsWorker.js') });
    })),
  ];
}

if (require.main === module) {
  void measureIsolation().then((lines) => process.stdout.write(`${lines.join('\n')}\n`));
}
