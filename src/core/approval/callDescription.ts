import { hostLimits } from '../limits';
import { clip, displayName, inert } from '../safeText';
import type { CallToApprove } from './approvalPolicy';
import { describeEffect } from './toolAnnotations';

/** Characters of arguments shown to the person deciding; the rest is cut with a marker saying how much. */
const maxShownArgsChars = 2_000;

/** A call as a person is asked about it: names, what the server says it does, and the arguments it would get. */
export interface CallDescription {
  /** `notes.write_note`: names made plain or quoted, so a server's name cannot forge the question. */
  name: string;
  /** `writes (idempotent)`, from the server's annotations. */
  effect: string;
  /** The arguments as indented JSON, inert (no terminal controls) and cut. */
  args: string;
}

export function describeCall(call: CallToApprove): CallDescription {
  const { maxNameChars } = hostLimits;
  return {
    name: `${displayName(call.server, maxNameChars)}.${displayName(call.tool, maxNameChars)}`,
    effect: `${describeEffect(call.annotations)}${call.annotations ? '' : ' (the server gives no annotations)'}`,
    args: inert(clip(JSON.stringify(call.args, null, 2), maxShownArgsChars)),
  };
}

/** What the CLI suggests to approve this call in advance. */
export function approveFlags(call: CallToApprove): string {
  return `--approve ${call.server}.${call.tool}, --approve ${call.server}.* or --approve all`;
}
