import { byteLength, cutToBytes } from './utf8';

export interface Condensed {
  text: string;
  /** Characters of the full JSON result. */
  totalChars: number;
  truncated: boolean;
}

/**
 * The result as a model should see it: compact JSON within a budget of UTF-8 bytes. A result too large is cut
 * structurally, so it stays valid JSON and says what it left out: arrays keep their first rows and end with
 * "…and 1,940 more rows", objects their first keys with a "…" key, long strings their start with "…[+N chars]".
 */
export function condense(value: unknown, budgetBytes: number): Condensed {
  if (value === undefined) {
    return { text: 'undefined (the script returned no value)', totalChars: 0, truncated: false };
  }
  const json = JSON.stringify(value);
  // A top-level string reads better unquoted.
  const text = typeof value === 'string' ? value : json;
  if (byteLength(text) <= budgetBytes) {
    return { text, totalChars: text.length, truncated: false };
  }
  const cut =
    typeof value === 'string' ? cutString(value, budgetBytes) : (cutStructure(value, budgetBytes) ?? cutString(json, budgetBytes));
  return { text: cut, totalChars: text.length, truncated: true };
}

/** Per-string caps tried in turn, longest first: shorter strings are worth it only while they buy more rows. */
const stringCaps = [Infinity, 2_000, 500, 160, 60, 24];

/**
 * The most of `value` that fits: for each string cap, the most rows per array (and keys per object) that fit,
 * found by bisection (the rendered size grows with both). The first cap that keeps enough rows to show the data's
 * shape wins; else the one that keeps the most.
 */
function cutStructure(value: unknown, budgetBytes: number): string | undefined {
  let best: { text: string; rows: number } | undefined;
  const widest = widestCollection(value);
  for (const stringCap of stringCaps) {
    let low = 0;
    let high = widest;
    let fit: string | undefined;
    let fitRows = -1;
    while (low <= high) {
      const rows = Math.floor((low + high) / 2);
      const text = render(value, { maxRows: rows, stringCap, budget: budgetBytes });
      if (text === undefined) {
        high = rows - 1;
      } else {
        fit = text;
        fitRows = rows;
        low = rows + 1;
      }
    }
    if (fit !== undefined && fitRows > (best?.rows ?? -1)) {
      best = { text: fit, rows: fitRows };
    }
    if (best && best.rows >= Math.min(widest, enoughRows)) {
      break;
    }
  }
  return best?.text;
}

/** Rows that show a table's shape: past this, longer strings are worth more than more rows. */
const enoughRows = 20;

interface Limits {
  maxRows: number;
  stringCap: number;
  budget: number;
}

/** Compact JSON of `value` within the limits, or undefined as soon as it would exceed the budget. */
function render(value: unknown, limits: Limits): string | undefined {
  const out: string[] = [];
  let used = 0;
  const emit = (piece: string): boolean => {
    used += byteLength(piece);
    out.push(piece);
    return used <= limits.budget;
  };
  const walk = (node: unknown): boolean => {
    if (typeof node === 'string') {
      return emit(JSON.stringify(capString(node, limits.stringCap)));
    }
    if (Array.isArray(node)) {
      const shown = Math.min(node.length, limits.maxRows);
      if (!emit('[')) {
        return false;
      }
      for (let i = 0; i < shown; i++) {
        if ((i > 0 && !emit(',')) || !walk(node[i] ?? null)) {
          return false;
        }
      }
      const hidden = node.length - shown;
      if (hidden > 0 && !emit(`${shown > 0 ? ',' : ''}${JSON.stringify(`…and ${count(hidden)} more ${hidden === 1 ? 'row' : 'rows'}`)}`)) {
        return false;
      }
      return emit(']');
    }
    if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      const shown = Math.min(keys.length, Math.max(1, limits.maxRows));
      if (!emit('{')) {
        return false;
      }
      for (let i = 0; i < shown; i++) {
        if ((i > 0 && !emit(',')) || !emit(`${JSON.stringify(keys[i])}:`) || !walk((node as Record<string, unknown>)[keys[i]])) {
          return false;
        }
      }
      const hidden = keys.length - shown;
      if (hidden > 0 && !emit(`,"…":${JSON.stringify(`and ${count(hidden)} more ${hidden === 1 ? 'key' : 'keys'}`)}`)) {
        return false;
      }
      return emit('}');
    }
    return emit(JSON.stringify(node) ?? 'null');
  };
  return walk(value) ? out.join('') : undefined;
}

function capString(text: string, cap: number): string {
  // Cutting less than the marker adds would make the row longer, not shorter.
  if (text.length <= cap + 16) {
    return text;
  }
  const kept = cutToBytes(text, cap);
  return `${kept}…[+${count(text.length - kept.length)} chars]`;
}

/** A long text cut to the budget at a character boundary, with a marker saying how much was left out. */
function cutString(text: string, budgetBytes: number): string {
  const marker = (cut: number) => `\n…[${count(cut)} more characters not shown; return a smaller summary to see them]`;
  const kept = cutToBytes(text, Math.max(0, budgetBytes - byteLength(marker(text.length))));
  return kept + marker(text.length - kept.length);
}

/** The largest number of rows or keys of any array or object in `value`: the most rows a cut could keep. */
function widestCollection(value: unknown): number {
  let widest = 0;
  const stack = [value];
  let visited = 0;
  // The result came from JSON, so it is a tree; bound the walk anyway, it only sets the bisection's upper end.
  while (stack.length > 0 && visited++ < 1_000_000) {
    const node = stack.pop();
    if (node !== null && typeof node === 'object') {
      const children = Array.isArray(node) ? node : Object.values(node);
      widest = Math.max(widest, children.length);
      stack.push(...children.slice(0, 10_000));
    }
  }
  return widest;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
