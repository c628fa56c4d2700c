// The two kinds of tool search a model uses to find deferred tools (Copilot Chat sends extension and MCP tools
// outside its core set to Claude models that way): a regex over name + description, and a BM25 ranking of the
// same text. Used to check that Code Mode's run tool is found by the words a model searches for.
import type { OfferedTool } from './transcript';

/** Lower-case words of a text, split on anything not a letter or digit and on camelCase and snake_case boundaries. */
export function terms(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const searchable = (tool: OfferedTool) => `${tool.name} ${tool.description}`;

/** Okapi BM25 (k1 1.2, b 0.75) of every tool for the query; names best first. */
export function bm25Rank(tools: readonly OfferedTool[], query: string): string[] {
  const docs = tools.map((tool) => terms(searchable(tool)));
  const averageLength = docs.reduce((sum, doc) => sum + doc.length, 0) / docs.length;
  const queryTerms = [...new Set(terms(query))];
  const idf = new Map(
    queryTerms.map((term) => {
      const containing = docs.filter((doc) => doc.includes(term)).length;
      return [term, Math.log(1 + (docs.length - containing + 0.5) / (containing + 0.5))];
    }),
  );
  const scores = docs.map((doc) =>
    queryTerms.reduce((score, term) => {
      const frequency = doc.filter((word) => word === term).length;
      return score + (idf.get(term)! * frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * doc.length) / averageLength));
    }, 0),
  );
  return ranked(tools, scores);
}

/** Tools whose name + description match the pattern (case-insensitive), most matches first. */
export function regexRank(tools: readonly OfferedTool[], pattern: string): string[] {
  const scores = tools.map((tool) => searchable(tool).match(new RegExp(pattern, 'gi'))?.length ?? 0);
  return ranked(tools, scores);
}

function ranked(tools: readonly OfferedTool[], scores: number[]): string[] {
  return tools
    .map((tool, index) => ({ name: tool.name, score: scores[index], index }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.name);
}
