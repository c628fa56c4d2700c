// Scripts the way models write them, against the test server, server-memory and server-filesystem (checkCorpus.test.ts).
// `FOLDER` stands for the filesystem server's folder; `PROBE` for a unique entity name the script writes first.

export interface CorpusScript {
  name: string;
  script: string;
}

/** The write every mistake makes first: the run must be stopped before it, or the entity is left behind. */
export const write = `await mcp.memory.createEntities({ entities: [{ name: 'PROBE', entityType: 'probe', observations: ['written'] }] });\n`;

/** Each would certainly fail at run time, after the write above. */
export const mistakes: CorpusScript[] = [
  { name: 'unknown server', script: `const issues = await mcp.github.listIssues({ repo: 'x' });\nreturn issues;` },
  { name: 'wrong-case server', script: `return await mcp.Memory.readGraph();` },
  { name: 'unknown tool', script: `const all = await mcp.memory.listEntities();\nreturn all;` },
  { name: 'wrong-case tool', script: `const graph = await mcp.memory.ReadGraph();\nreturn graph.entities.length;` },
  { name: 'exact snake_case name as a member', script: `return await mcp.memory.read_graph();` },
  { name: 'mcp.call with a camelCase tool name', script: `const graph = await mcp.call('memory', 'readGraph');\nreturn graph;` },
  { name: 'mcp.call with an unknown server', script: `return await mcp.call('github', 'list_issues', { repo: 'x' });` },
  { name: 'tool of another server', script: `return await mcp.memory.readTextFile({ path: 'FOLDER/notes.txt' });` },
  { name: 'missing required argument', script: `const r = await mcp.test.add({ a: 1 });\nreturn r.sum;` },
  { name: 'no arguments where some are required', script: `return await mcp.test.echo();` },
  { name: 'misnamed argument', script: `const file = await mcp.fs.readTextFile({ file: 'FOLDER/notes.txt' });\nreturn file.content;` },
  {
    name: 'misnamed nested argument',
    script: `await mcp.memory.createEntities({ entities: [{ name: 'x', type: 'thing', observations: [] }] });`,
  },
  { name: 'wrong type: string for number', script: `const r = await mcp.test.add({ a: '1', b: 2 });\nreturn r.sum;` },
  { name: 'wrong type: number for string', script: `return await mcp.memory.searchNodes({ query: 42 });` },
  {
    name: 'wrong type: string for array',
    script: `await mcp.memory.addObservations({ observations: [{ entityName: 'PROBE', contents: 'one more' }] });`,
  },
  { name: 'wrong type: boolean for number', script: `return await mcp.test.records({ count: true });` },
  { name: 'bare string for the arguments object', script: `const text = await mcp.fs.readTextFile('FOLDER/notes.txt');\nreturn text;` },
  { name: 'bare string for a one-field tool', script: `return await mcp.test.echo('hello');` },
  {
    name: 'array for the arguments object',
    script: `await mcp.memory.createEntities([{ name: 'y', entityType: 'probe', observations: [] }]);`,
  },
  {
    name: 'enum value the schema does not have',
    script: `const list = await mcp.fs.listDirectoryWithSizes({ path: 'FOLDER', sortBy: 'date' });\nreturn list.content;`,
  },
  { name: 'result property not in the output schema', script: `const r = await mcp.test.add({ a: 1, b: 2 });\nreturn r.total.toFixed(1);` },
  {
    name: 'result property of a list not in the schema',
    script: `const graph = await mcp.memory.readGraph();\nreturn graph.nodes.map((n) => n.name);`,
  },
  {
    name: 'nested result property not in the schema',
    script: `const graph = await mcp.memory.readGraph();\nreturn graph.entities.map((e) => e.observation.length);`,
  },
  {
    name: 'text result read as another field',
    script: `const file = await mcp.fs.readTextFile({ path: 'FOLDER/notes.txt' });\nreturn file.text.split('\\n');`,
  },
  { name: 'missing await, then a property', script: `const graph = mcp.memory.readGraph();\nreturn graph.entities.length;` },
  { name: 'missing await, then a method', script: `const echoed = mcp.test.echo({ text: 'abc' });\nreturn echoed.toUpperCase();` },
  { name: 'missing await in a for-of', script: `let n = 0;\nfor (const e of mcp.memory.readGraph().entities) n++;\nreturn n;` },
  {
    name: 'missing await, passed on as an argument',
    script: `const word = mcp.test.echo({ text: 'abc' });\nreturn await mcp.test.echo({ text: word });`,
  },
  { name: 'require', script: `const fs = require('fs');\nreturn fs.readdirSync('.');` },
  { name: 'process', script: `return process.env.HOME;` },
  { name: 'fetch', script: `const page = await fetch('https://example.com');\nreturn page.status;` },
  { name: 'typo in a variable', script: `const entities = (await mcp.memory.readGraph()).entities;\nreturn entitis.length;` },
  { name: 'typo in a global', script: `consol.log('done');\nreturn 1;` },
  {
    name: 'assigning a const',
    script: `const total = 0;\nfor (const r of await mcp.test.records({ count: 3 })) total += r.value;\nreturn total;`,
  },
  { name: 'a const used before its declaration', script: `const doubled = sum * 2;\nconst sum = 21;\nreturn doubled;` },
  {
    name: 'await in a callback that is not async',
    script: `const out = [];\n[1, 2].forEach((n) => { out.push(await mcp.test.echo({ text: String(n) })); });\nreturn out;`,
  },
  { name: 'syntax error: unclosed call', script: `const r = await mcp.test.echo({ text: 'a' };\nreturn r;` },
  { name: 'syntax error: stray token', script: `const xs = [1, 2, 3;\nreturn xs;` },
];

/** Each must run, and succeed. */
export const valid: CorpusScript[] = [
  { name: 'untyped result used directly', script: `return (await mcp.test.echo({ text: 'abc' })).toUpperCase();` },
  {
    name: 'untyped parameters',
    script: `function total(rows) { return rows.reduce((s, r) => s + r.value, 0); }\nreturn total(await mcp.test.records({ count: 4 }));`,
  },
  {
    name: 'let without a type',
    script: `let best;\nfor (const r of await mcp.test.records({ count: 5 })) { if (!best || r.value > best.value) best = r; }\nreturn best.id;`,
  },
  {
    name: 'dynamic objects',
    script: `const byGroup = {};\nfor (const r of await mcp.test.records({ count: 10 })) byGroup[r.group] = (byGroup[r.group] || 0) + 1;\nconst out = {};\nout.groups = byGroup;\nout.count = Object.keys(byGroup).length;\nreturn out;`,
  },
  {
    name: 'toSorted',
    script: `const rows = await mcp.test.records({ count: 5 });\nreturn rows.toSorted((a, b) => b.value - a.value).map((r) => r.id);`,
  },
  {
    name: 'Object.groupBy',
    script: `const groups = Object.groupBy(await mcp.test.records({ count: 6 }), (r) => r.group);\nreturn Object.keys(groups).length;`,
  },
  { name: 'findLast', script: `return (await mcp.test.records({ count: 6 })).findLast((r) => r.group === 'g1').id;` },
  { name: 'Set methods', script: `return new Set([1, 2]).union(new Set([3])).size;` },
  {
    name: 'catch (e) then e.server',
    script: `try { await mcp.test.fail({ message: 'no' }); } catch (e) { return e.server + '.' + e.tool + ': ' + e.message; }`,
  },
  { name: 'typeof of a global that is not there', script: `return [typeof require, typeof process, typeof fetch];` },
  {
    name: 'top-level await and return with a declared interface',
    script: `interface Row { id: number }\nconst rows: Row[] = await mcp.test.records({ count: 2 });\nreturn rows.map((r) => r.id);`,
  },
  {
    name: 'a type name that is not declared (erased)',
    script: `const rows: Row[] = await mcp.test.records({ count: 2 });\nreturn rows.length as Count;`,
  },
  {
    name: 'Promise.all over typed results',
    script: `const [a, b] = await Promise.all([mcp.test.add({ a: 1, b: 2 }), mcp.test.add({ a: 3, b: 4 })]);\nreturn a.sum + b.sum;`,
  },
  {
    name: 'a string variable for an enum argument',
    script: `let sortBy = 'name';\nif (Math.random() > 2) sortBy = 'size';\nconst list = await mcp.fs.listDirectoryWithSizes({ path: 'FOLDER', sortBy });\nreturn list.content.length > 0;`,
  },
  {
    name: 'find() may be undefined',
    script: `const graph = await mcp.memory.readGraph();\nconst e = graph.entities.find((x) => x.name === 'nobody');\nreturn e ? e.name : graph.entities.find((x) => x.name === 'also nobody')?.name ?? null;`,
  },
  { name: 'JSON text result used as an object', script: `const parsed = await mcp.test.echo({ text: '{"a":1}' });\nreturn parsed.a;` },
  { name: 'mcp.call with exact names', script: `const r = await mcp.call('test', 'add', { a: 2, b: 2 });\nreturn r.sum;` },
  {
    name: 'mcp.call with a computed tool name',
    script: `const tool = ['ec', 'ho'].join('');\nreturn await mcp.call('test', tool, { text: 'x' });`,
  },
  {
    name: 'a class with untyped methods',
    script: `class Acc { total = 0; add(n) { this.total += n; return this; } }\nconst acc = new Acc();\nfor (const r of await mcp.test.records({ count: 3 })) acc.add(r.value);\nreturn acc.total;`,
  },
  { name: 'setTimeout in a promise', script: `await new Promise((resolve) => setTimeout(resolve, 5));\nreturn 'waited';` },
  {
    name: 'Map, destructuring and spread',
    script: `const rows = await mcp.test.records({ count: 8 });\nconst totals = new Map();\nfor (const { group, value } of rows) totals.set(group, (totals.get(group) ?? 0) + value);\nreturn [...totals.keys()].length;`,
  },
  {
    name: 'a function used before its declaration',
    script: `return double(await mcp.test.add({ a: 1, b: 1 }));\nfunction double(x) { return x.sum * 2; }`,
  },
  {
    name: 'typed results through Object.fromEntries',
    script: `const graph = await mcp.memory.readGraph();\nreturn Object.fromEntries(graph.entities.map((e) => [e.name, e.observations.length]));`,
  },
  { name: 'a property checked with in', script: `const r = await mcp.test.add({ a: 1, b: 2 });\nreturn 'extra' in r ? r.extra : r.sum;` },
  { name: 'bracket access on a typed result', script: `const r = await mcp.test.add({ a: 1, b: 2 });\nconst key = 'sum';\nreturn r[key];` },
  { name: 'any casts', script: `const r = (await mcp.test.add({ a: 1, b: 2 })) as any;\nreturn r.sum ?? r.total;` },
  { name: 'a Date where a string is expected (it travels as JSON)', script: `return await mcp.test.echo({ text: new Date(0) });` },
  { name: 'code after return', script: `return 1;\nconsole.log('never');` },
  {
    name: 'a write, then reading it back',
    script: `await mcp.memory.createEntities({ entities: [{ name: 'valid-write', entityType: 'probe', observations: ['ok'] }] });\nconst found = await mcp.memory.searchNodes({ query: 'valid-write' });\nreturn found.entities.length;`,
  },
];
