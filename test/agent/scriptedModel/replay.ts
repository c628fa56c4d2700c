// The scripted model's decision for one request, from the request alone (no `vscode` here): replays the play named
// in the control file over the results of its own earlier calls, and answers with the next turn.
import { PlayError, workflows, type Reply } from '../workflows';
import type { Control, Message, OfferedTool, Part } from '../transcript';
import { partsText } from '../transcript';

export interface Turn {
  parts: Part[];
  /** Set when the play could not go on; the parts then say why, as text. */
  problem?: string;
}

/** Call ids look like `<runId>_<turn>_<index>`: letters, digits and `_`, which every chat API accepts. */
export function callId(runId: string, turn: number, index: number): string {
  return `${runId}_${turn}_${index}`;
}

export function nextTurn(control: Control, messages: readonly Message[], tools: readonly OfferedTool[]): Turn {
  const results = new Map<string, Reply>();
  const called = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.kind === 'toolResult') {
        results.set(part.callId, { text: partsText(part.content), isError: part.isError === true });
      } else if (part.kind === 'toolCall') {
        called.set(part.callId, part.name);
      }
    }
  }
  const calledAt = (turn: number) => {
    const names: string[] = [];
    for (let index = 0; called.has(callId(control.runId, turn, index)); index++) {
      names.push(called.get(callId(control.runId, turn, index))!);
    }
    return names;
  };
  const start = workflows[control.workflow];
  if (!start) {
    return stopped(`unknown workflow "${control.workflow}"`);
  }
  try {
    const play = start({ tools, params: control.params ?? {}, calledAt });
    let step = play.next();
    for (let turn = 0; ; turn++) {
      if (step.done) {
        return { parts: [{ kind: 'text', text: step.value }] };
      }
      const ids = step.value.map((_, index) => callId(control.runId, turn, index));
      const replies = ids.map((id) => results.get(id));
      if (replies.every((reply) => reply === undefined)) {
        return { parts: step.value.map((call, index) => ({ kind: 'toolCall', callId: ids[index], name: call.tool, input: call.input })) };
      }
      if (replies.some((reply) => reply === undefined)) {
        return stopped(
          `only some results of turn ${turn} came back (${ids.filter((_, i) => replies[i] === undefined).join(', ')} missing)`,
        );
      }
      step = play.next(replies as Reply[]);
    }
  } catch (e: unknown) {
    return stopped(e instanceof PlayError ? e.message : `the play threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

function stopped(problem: string): Turn {
  return { parts: [{ kind: 'text', text: `The scripted model stopped: ${problem}` }], problem };
}
