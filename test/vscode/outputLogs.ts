// Output channels of the extension host are written to disk under
// <user-data-dir>/logs/<session>/exthost<N>/ (N counts extension host restarts):
//   <publisher.name>/<Channel>.log               log channels ({ log: true })
//   output_logging_<time>/<N>-<Channel>.log      plain channels
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Paths of every output channel log, by channel name (the newest extension host wins). */
export async function outputChannelLogs(userDataDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const hosts: string[] = [];
  for (const session of await list(join(userDataDir, 'logs'))) {
    const names = (await list(join(userDataDir, 'logs', session))).filter((name) => /^exthost\d+$/.test(name));
    names.sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
    hosts.push(...names.map((name) => join(userDataDir, 'logs', session, name)));
  }
  for (const exthost of hosts) {
    for (const folder of await list(exthost)) {
      const plain = folder.startsWith('output_logging_');
      if (!plain && !folder.includes('.')) {
        continue; // not an extension id
      }
      for (const file of await list(join(exthost, folder))) {
        const name = (plain ? /^\d+-(.+)\.log$/ : /^(.+)\.log$/).exec(file)?.[1];
        if (name !== undefined) {
          found.set(name, join(exthost, folder, file));
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
export async function waitForOutputChannel(userDataDir: string, channel: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
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
