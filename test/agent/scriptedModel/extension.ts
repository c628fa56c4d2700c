// A test-only extension: a language model, offered to VS Code's chat (`vscode.lm.registerLanguageModelChatProvider`),
// whose answers are scripted (workflows.ts) and which records every request it receives. The chat view's Agent mode
// (GitHub Copilot Chat, bundled in code-server) drives it like any other model: it sends the system prompt, the
// conversation and the offered tools; the model answers with tool calls or text.
//
// The runner talks to it through files in the folder named by the environment variable CODEMODE_AGENT_DIR:
//   control.json     read at every request: which play to run (transcript.ts, Control)
//   requests.jsonl   one RecordedRequest per line, appended
//   ready.json       written once the workbench's extensions have been enabled
//   answer-<runId>.txt  the final answer of a play, once given
//   settings.json    the values of a few settings as this extension host sees them, rewritten on every change
//   apply-settings.json  written by the runner: user settings this extension sets through the configuration API
import { appendFileSync, readFileSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import * as vscode from 'vscode';
import type { Control, Message, OfferedTool, Part, RecordedRequest } from '../transcript';
import { partsText } from '../transcript';
import { nextTurn } from './replay';

export const vendor = 'fakelm';
export const modelId = 'scripted';
const chatExtensionId = 'GitHub.copilot-chat';

const model: vscode.LanguageModelChatInformation = {
  id: modelId,
  name: 'Scripted Model',
  family: 'scripted',
  version: '1',
  tooltip: 'Plays the Code Mode test workflows; records every request.',
  // GPT-5's input window: large enough for the traditional W3 transcript (~120k tokens) without compaction.
  maxInputTokens: 272_000,
  maxOutputTokens: 16_000,
  capabilities: { toolCalling: true, imageInput: false },
};

export function activate(context: vscode.ExtensionContext): void {
  const dir = process.env.CODEMODE_AGENT_DIR;
  const log = vscode.window.createOutputChannel('Scripted Model', { log: true });
  let seq = 0;
  context.subscriptions.push(
    log,
    vscode.lm.registerLanguageModelChatProvider(vendor, {
      provideLanguageModelChatInformation: () => [model],
      provideTokenCount: async (_model, text) => countTokens(typeof text === 'string' ? text : partsText(toMessage(text).parts)),
      provideLanguageModelChatResponse: async (_model, messages, options, progress) => {
        const started = Date.now();
        const recorded: Message[] = messages.map(toMessage);
        const tools: OfferedTool[] = (options.tools ?? []).map((tool) => ({
          name: tool.name,
          description: tool.description,
          inputSchema: tool.inputSchema,
        }));
        const control = dir ? readControl(dir) : undefined;
        const kind = tools.length === 0 ? 'side' : isCompaction(recorded) ? 'compaction' : 'agent';
        // Side requests (titles) and compaction requests get plain text; the agent's rounds follow the play.
        const turn =
          kind !== 'agent' || !control
            ? {
                parts: [
                  {
                    kind: 'text',
                    text:
                      kind === 'compaction'
                        ? '<summary>The user asked a question; the tools were called and the answer was given.</summary>'
                        : 'Scripted chat',
                  } as Part,
                ],
              }
            : nextTurn(control, recorded, tools);
        for (const part of turn.parts) {
          if (part.kind === 'toolCall') {
            progress.report(new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input as object));
          } else if (part.kind === 'text') {
            progress.report(new vscode.LanguageModelTextPart(part.text));
          }
        }
        const record: RecordedRequest = {
          seq: seq++,
          at: started,
          ms: Date.now() - started,
          runId: control?.runId,
          workflow: control?.workflow,
          kind,
          model: modelId,
          toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
          messages: recorded,
          tools,
          response: turn.parts,
          problem: 'problem' in turn ? turn.problem : undefined,
        };
        log.info(
          `request ${record.seq} (${record.kind}, ${recorded.length} messages, ${tools.length} tools) → ${turn.parts.map((p) => (p.kind === 'toolCall' ? p.name : p.kind)).join(', ')}`,
        );
        if (record.problem) {
          log.warn(record.problem);
        }
        if (dir) {
          appendFileSync(join(dir, 'requests.jsonl'), `${JSON.stringify(record)}\n`);
          const answer = turn.parts.find((part) => part.kind === 'text');
          if (record.kind === 'agent' && control && answer?.kind === 'text') {
            writeFileSync(join(dir, `answer-${control.runId}.txt`), answer.text);
          }
        }
      },
    }),
  );
  if (dir) {
    // The runner changes settings between prompts and waits until the extension host has them.
    const writeSettings = () =>
      writeFileSync(
        join(dir, 'settings.json'),
        JSON.stringify(Object.fromEntries(watchedSettings.map((key) => [key, vscode.workspace.getConfiguration().get(key)]))),
      );
    writeSettings();
    context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(writeSettings));
    // code-server does not notice a user settings file changed on disk: the runner asks this extension instead.
    const requests = join(dir, 'apply-settings.json');
    watchFile(requests, { interval: 100 }, () => void applySettings(requests, log));
    context.subscriptions.push({ dispose: () => unwatchFile(requests) });
  }
  void enableChat(log, dir);
}

const watchedSettings = ['codeMode.confirmRuns', 'codeMode.approvals.allowed', 'chat.permissions.default', 'chat.mcp.access'];

async function applySettings(file: string, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const patch = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(patch)) {
      await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
    }
    log.info(`settings applied: ${JSON.stringify(patch)}`);
  } catch (e: unknown) {
    log.error(`could not apply settings: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * On a fresh profile the workbench keeps the built-in chat extension disabled until chat is "set up" (a GitHub
 * sign-in). Enabling all extensions turns it on; the command exists only once the extensions view has loaded.
 * Ready (for the runner) once GitHub Copilot Chat, which implements the Agent mode, is active.
 */
async function enableChat(log: vscode.LogOutputChannel, dir: string | undefined): Promise<void> {
  const deadline = Date.now() + 60_000;
  let enabled = false;
  while (Date.now() < deadline) {
    if (!enabled) {
      try {
        await vscode.commands.executeCommand('workbench.extensions.action.enableAll');
        enabled = true;
        log.info('extensions enabled');
      } catch {
        // not registered yet
      }
    }
    const chat = vscode.extensions.getExtension(chatExtensionId);
    if (enabled && chat) {
      await chat.activate();
      log.info(`${chatExtensionId} ${String(chat.packageJSON.version)} active`);
      if (dir) {
        writeFileSync(join(dir, 'ready.json'), JSON.stringify({ at: Date.now(), chat: chat.packageJSON.version }));
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log.error('could not enable the chat extension');
}

/** Copilot Chat's request for a summary when the conversation outgrows the model's window. */
function isCompaction(messages: readonly Message[]): boolean {
  const last = messages[messages.length - 1];
  return last?.role === 'user' && last.parts.some((part) => part.kind === 'text' && part.text.includes('must be compacted now'));
}

function readControl(dir: string): Control | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'control.json'), 'utf8')) as Control;
  } catch {
    return undefined;
  }
}

const roles: Record<number, string> = { 1: 'user', 2: 'assistant', 3: 'system' };

function toMessage(message: vscode.LanguageModelChatRequestMessage): Message {
  return { role: roles[message.role] ?? `role-${message.role}`, name: message.name, parts: message.content.map(toPart) };
}

/** Parts by shape rather than class: the chat also sends parts of kinds the stable API does not name (data, thinking). */
function toPart(part: unknown): Part {
  const value = part as Record<string, unknown>;
  if (typeof value.callId === 'string' && typeof value.name === 'string' && 'input' in value) {
    return { kind: 'toolCall', callId: value.callId, name: value.name, input: value.input };
  }
  if (typeof value.callId === 'string' && Array.isArray(value.content)) {
    return {
      kind: 'toolResult',
      callId: value.callId,
      content: value.content.map(toPart),
      ...(value.isError === true ? { isError: true } : {}),
    };
  }
  if (typeof value.value === 'string') {
    return { kind: 'text', text: value.value };
  }
  if (typeof value.mimeType === 'string' && value.data instanceof Uint8Array) {
    const textual = /^text\/|json/.test(value.mimeType);
    return {
      kind: 'data',
      mimeType: value.mimeType,
      bytes: value.data.byteLength,
      ...(textual ? { text: new TextDecoder().decode(value.data) } : {}),
    };
  }
  return { kind: 'other', type: String(value?.constructor?.name ?? typeof part), json: safeJson(part) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
