export interface Condensed {
  text: string;
  /** Characters of the full JSON result. */
  totalChars: number;
  truncated: boolean;
}

/**
 * The result as a model should see it: compact JSON, cut to a budget with a marker that says how much was cut,
 * so the model can ask for a smaller summary instead of guessing.
 */
export function condense(resultJson: string | undefined, budgetChars: number): Condensed {
  if (resultJson === undefined) {
    return { text: 'undefined (the script returned no value)', totalChars: 0, truncated: false };
  }
  // A top-level string reads better unquoted.
  const text = resultJson.startsWith('"') ? (JSON.parse(resultJson) as string) : resultJson;
  if (text.length <= budgetChars) {
    return { text, totalChars: text.length, truncated: false };
  }
  const kept = text.slice(0, Math.max(0, budgetChars));
  const cut = text.length - kept.length;
  return {
    text: `${kept}\n…[truncated: ${cut} of ${text.length} characters cut; return a smaller summary to see everything]`,
    totalChars: text.length,
    truncated: true,
  };
}
