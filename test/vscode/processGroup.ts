// Child processes that run in their own process group, so stopping one stops all of
// its descendants too (code-server's main process alone would leave its children).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Live groups, each with what to clean up (synchronously) if the host process exits first. */
const liveGroups = new Map<number, (() => void) | undefined>();

/**
 * Spawns `command` as the leader of a new process group (setsid). `cleanupOnExit` runs
 * only if this process exits (or is signalled) before killGroup was called.
 */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions, cleanupOnExit?: () => void): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) {
    track(child.pid, cleanupOnExit);
  }
  return child;
}

/** Sends TERM to the whole group, then KILL to whatever is still alive after `graceMs`. */
export async function killGroup(pgid: number, graceMs = 5000): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await sleep(100);
  }
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
  }
  untrack(pgid);
}

/** Resolves with the exit code once `child` has exited (a signal counts as 1). */
export function exitCode(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? 1);
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

// A test runner killed by Ctrl+C or CI must not leave code-server behind. The
// handlers exist only while some group is alive, so they don't change how the
// host process reacts to signals otherwise.
function onSignal(signal: NodeJS.Signals): void {
  for (const pgid of liveGroups.keys()) {
    signalGroup(pgid, 'SIGTERM');
  }
  setTimeout(() => process.exit(signal === 'SIGINT' ? 130 : 143), 1000).unref();
}

function onExit(): void {
  for (const [pgid, cleanup] of liveGroups) {
    signalGroup(pgid, 'SIGKILL');
    try {
      cleanup?.();
    } catch {
      // best effort while exiting
    }
  }
}

function track(pgid: number, cleanupOnExit?: () => void): void {
  if (liveGroups.size === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('exit', onExit);
  }
  liveGroups.set(pgid, cleanupOnExit);
}

function untrack(pgid: number): void {
  if (liveGroups.delete(pgid) && liveGroups.size === 0) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  }
}
