/** Bytes of `text` in UTF-8, the unit the model's transport and Copilot Chat's 8 KB limit count in. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest start of `text` that is at most `maxBytes` in UTF-8, never ending inside a surrogate pair. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) {
    return text;
  }
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    // An unpaired surrogate is written as U+FFFD: three bytes, like the surrogate itself.
    const size = char.length === 2 ? 4 : char.charCodeAt(0) < 0x80 ? 1 : char.charCodeAt(0) < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) {
      break;
    }
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
