// Output channels of the extension host are written to disk as
// <user-data-dir>/logs/<session>/exthost1/output_logging_<time>/<N>-<Channel name>.log
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Paths of every output channel log, by channel name (the newest file wins). */
export async function outputChannelLogs(userDataDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const session of await list(join(userDataDir, 'logs'))) {
    const exthost = join(userDataDir, 'logs', session, 'exthost1');
    for (const folder of (await list(exthost)).filter((name) => name.startsWith('output_logging_'))) {
      for (const file of await list(join(exthost, folder))) {
        const match = /^\d+-(.+)\.log$/.exec(file);
        if (match) {
          found.set(match[1], join(exthost, folder, file)); // names sort by time
        }
      }
    }
  }
  return found;
}

/** The text of one output channel, or undefined if it was never written. */
export async function readOutputChannel(userDataDir: string, channel: string): Promise<string | undefined> {
  const path = (await outputChannelLogs(userDataDir)).get(channel);
  return path === undefined ? undefined : readFile(path, 'utf8');
}

/** Polls the channel until its text matches `pattern`; returns that text. */
export async function waitForOutputChannel(
  userDataDir: string,
  channel: string,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text: string | undefined;
  while (Date.now() < deadline) {
    text = await readOutputChannel(userDataDir, channel);
    if (text !== undefined && pattern.test(text)) {
      return text;
    }
    await sleep(200);
  }
  throw new Error(`output channel "${channel}" did not match ${pattern} in ${timeoutMs} ms; it has:\n${text ?? '(no log file)'}`);
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
