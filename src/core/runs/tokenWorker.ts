// Entry of dist/tokenWorker.js: a worker thread that counts o200k_base tokens. The tokenizer's tables take a second
// of CPU and tens of MB to load, so they load here, on first use, away from the extension host's thread.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { parentPort } from 'node:worker_threads';

export interface CountRequest {
  id: number;
  texts: string[];
}

export interface CountReply {
  id: number;
  counts: number[];
}

parentPort?.on('message', ({ id, texts }: CountRequest) => {
  parentPort!.postMessage({ id, counts: texts.map((text) => countTokens(text)) } satisfies CountReply);
});
