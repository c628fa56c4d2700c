/**
 * Text from scripts and servers, made safe to show: cut to a length, and stripped of what could forge a line or
 * drive a terminal (control characters, line and paragraph separators, bidirectional overrides).
 */

/** C0 and C1 controls, DEL, line/paragraph separators and bidi embeddings, overrides and isolates (tab kept). */
const unsafeCharacters = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeExceptNewline = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The first `max` characters (never half a surrogate pair), with a marker saying how many were cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…[${text.length - end} more characters]`;
}

/** Every unsafe character as a visible escape (`\n`, `\u001b`), so the text stays on one line and inert. */
export function oneLine(text: string): string {
  return text.replace(unsafeCharacters, escapeCharacter);
}

/** Like `oneLine`, but line breaks stay (`\r\n` as `\n`; a lone `\r` is escaped: it would overwrite the line in a terminal). */
export function inert(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(unsafeExceptNewline, escapeCharacter);
}

/** A name as shown in summaries: itself when plain, else quoted and escaped; cut to `max` characters. */
export function displayName(name: string, max: number): string {
  const cut = clip(name, max);
  return /^[\p{L}\p{N}_$.\-:/@ ]+$/u.test(cut) && cut.trim() === cut ? cut : oneLine(JSON.stringify(cut));
}

/** A string as a JSON literal, escaped to one inert line and cut to `max` characters first. */
export function quoted(text: string, max: number): string {
  return oneLine(JSON.stringify(clip(text, max)));
}

/** Lines after the first get `prefix`, so text that spans lines cannot pass for a line of its own. */
export function indentContinuation(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

function escapeCharacter(character: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r' };
  return named[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
