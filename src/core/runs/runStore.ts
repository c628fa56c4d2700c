import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarize, type RunRecord, type RunSummary } from './runRecord';

export interface Retention {
  /** Runs kept; the oldest go first. */
  maxRuns: number;
  /** Bytes of all stored runs together. */
  maxBytes: number;
}

export const defaultRetention: Retention = { maxRuns: 200, maxBytes: 50 * 1024 * 1024 };

const recordFile = /^[0-9a-z]{9}-[0-9a-f]{8}\.json$/;

/**
 * Recorded runs as one JSON file each in a folder the caller owns (in VS Code the workspace's extension storage,
 * never the repository). Oldest first out when a limit is passed. Summaries are cached by file: records never change.
 */
export class RunStore {
  private readonly summaries = new Map<string, RunSummary>();

  constructor(
    readonly folder: string,
    private readonly retention: Retention = defaultRetention,
  ) {}

  async save(record: RunRecord): Promise<RunSummary> {
    await mkdir(this.folder, { recursive: true });
    const text = JSON.stringify(record);
    const file = join(this.folder, `${record.id}.json`);
    // Written whole then renamed: a reader never sees half a record.
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
    const summary = summarize(record, Buffer.byteLength(text));
    this.summaries.set(record.id, summary);
    await this.prune();
    return summary;
  }

  /** Newest first. */
  async list(): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    for (const id of await this.ids()) {
      const summary = this.summaries.get(id) ?? (await this.readSummary(id));
      if (summary) {
        summaries.push(summary);
      }
    }
    return summaries;
  }

  async get(id: string): Promise<RunRecord | undefined> {
    if (!/^[0-9a-z]{9}-[0-9a-f]{8}$/.test(id)) {
      return undefined;
    }
    try {
      return JSON.parse(await readFile(join(this.folder, `${id}.json`), 'utf8')) as RunRecord;
    } catch {
      return undefined;
    }
  }

  async clear(): Promise<void> {
    for (const id of await this.ids()) {
      await rm(join(this.folder, `${id}.json`), { force: true });
    }
    this.summaries.clear();
  }

  /** Ids of the stored runs, newest first (ids start with the start time). */
  private async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    return names
      .filter((name) => recordFile.test(name))
      .map((name) => name.slice(0, -'.json'.length))
      .sort()
      .reverse();
  }

  private async readSummary(id: string): Promise<RunSummary | undefined> {
    const record = await this.get(id);
    if (!record) {
      return undefined;
    }
    const summary = summarize(record, (await stat(join(this.folder, `${id}.json`))).size);
    this.summaries.set(id, summary);
    return summary;
  }

  private async prune(): Promise<void> {
    let bytes = 0;
    let kept = 0;
    for (const id of await this.ids()) {
      const file = join(this.folder, `${id}.json`);
      const size =
        this.summaries.get(id)?.bytes ??
        (await stat(file).then(
          (s) => s.size,
          () => 0,
        ));
      // The newest run stays even alone over the size limit (the recorder caps a record's size).
      if (kept === 0 || (kept < this.retention.maxRuns && bytes + size <= this.retention.maxBytes)) {
        kept++;
        bytes += size;
      } else {
        await rm(file, { force: true });
        this.summaries.delete(id);
      }
    }
  }
}
