import type { DirectClients } from './traditional';

/**
 * One benchmark task, written three ways: a Code Mode script (TypeScript, as a model would write it against the
 * generated API), the same script for the peer (JavaScript, its tool names and result shapes), and the same steps
 * as direct SDK calls from the host. All three must return the same value; the bench checks that they do.
 */
export interface Workload {
  id: string;
  title: string;
  /** The user's request, as the chat agent receives it (same text for every approach). */
  task: string;
  /** Servers whose tools the task uses: their definitions are what a traditional agent holds in context. */
  servers: string[];
  /** Exact `server.tool` names the script calls: the declarations a Code Mode model asks for. */
  tools: string[];
  script: string;
  peerScript: string;
  /** The same steps from the host; absent where a chat agent has no tool-calling equivalent. */
  direct?: (direct: DirectClients) => Promise<unknown>;
  /** The same computation in the host process, where there are no tool calls (W4). */
  local?: () => unknown;
  runs: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

// ---- W0: the cost of a run --------------------------------------------------------------------------------------

const w0: Workload = {
  id: 'W0',
  title: '`return 1` (warm)',
  task: 'Return 1.',
  servers: [],
  tools: [],
  script: 'return 1;',
  peerScript: 'return 1;',
  runs: 80,
};

// ---- W1: 100 sequential calls -----------------------------------------------------------------------------------

const w1: Workload = {
  id: 'W1',
  title: '100 sequential echo calls',
  task: 'Send the messages "message 0" to "message 99" through the echo tool, one after another, and tell me how many came back unchanged.',
  servers: ['bench'],
  tools: ['bench.echo'],
  script: `let unchanged = 0;
for (let i = 0; i < 100; i++) {
  const reply = (await mcp.bench.echo({ text: \`message \${i}\` })) as string;
  if (reply === \`message \${i}\`) unchanged++;
}
return { calls: 100, unchanged };`,
  peerScript: `let unchanged = 0;
for (let i = 0; i < 100; i++) {
  const reply = bench.bench_echo({ text: 'message ' + i });
  if (reply === 'message ' + i) unchanged++;
}
return { calls: 100, unchanged };`,
  direct: async (direct) => {
    let unchanged = 0;
    for (let i = 0; i < 100; i++) {
      if ((await direct.call('bench', 'echo', { text: `message ${i}` })) === `message ${i}`) {
        unchanged++;
      }
    }
    return { calls: 100, unchanged };
  },
  runs: 30,
};

// ---- W2: 100 concurrent 10 ms calls -----------------------------------------------------------------------------

const w2: Workload = {
  id: 'W2',
  title: '100 × sleep(10 ms) in Promise.all',
  task: 'Call the sleep tool 100 times with 10 ms, all at once, and tell me how many answered "ok".',
  servers: ['bench'],
  tools: ['bench.sleep'],
  script: `const replies = await Promise.all(Array.from({ length: 100 }, () => mcp.bench.sleep({ ms: 10 })));
return { calls: replies.length, ok: replies.filter((reply) => reply === 'ok').length };`,
  peerScript: `const replies = await Promise.all(Array.from({ length: 100 }, () => bench.bench_sleep({ ms: 10 })));
return { calls: replies.length, ok: replies.filter((reply) => reply === 'ok').length };`,
  direct: async (direct) => {
    const replies = await Promise.all(Array.from({ length: 100 }, () => direct.call('bench', 'sleep', { ms: 10 })));
    return { calls: replies.length, ok: replies.filter((reply) => reply === 'ok').length };
  },
  runs: 10,
};

// ---- W3: fetch ~400 KB, aggregate, return 5 rows ----------------------------------------------------------------

interface Order {
  region: string;
  amount: number;
}
interface Page {
  pages: number;
  records: Order[];
}

/**
 * The aggregation every approach performs, in the same order (so the floating-point sums agree exactly); also the
 * answer test/agent's scripted model gives.
 */
export function revenueByRegion(pages: ReadonlyArray<Pick<Page, 'records'>>) {
  const rows = new Map<string, { region: string; orders: number; revenue: number; largest: number }>();
  for (const page of pages) {
    for (const record of page.records) {
      const row = rows.get(record.region) ?? { region: record.region, orders: 0, revenue: 0, largest: 0 };
      row.orders++;
      row.revenue += record.amount;
      row.largest = Math.max(row.largest, record.amount);
      rows.set(record.region, row);
    }
  }
  return [...rows.values()]
    .map((row) => ({ ...row, revenue: round2(row.revenue), average: round2(row.revenue / row.orders) }))
    .sort((a, b) => b.revenue - a.revenue);
}

const aggregateSource = `const rows = new Map<string, { region: string; orders: number; revenue: number; largest: number }>();
for (const page of [first, ...rest]) {
  for (const record of page.records) {
    const row = rows.get(record.region) ?? { region: record.region, orders: 0, revenue: 0, largest: 0 };
    row.orders++;
    row.revenue += record.amount;
    row.largest = Math.max(row.largest, record.amount);
    rows.set(record.region, row);
  }
}
const round2 = (value: number) => Math.round(value * 100) / 100;
return [...rows.values()]
  .map((row) => ({ ...row, revenue: round2(row.revenue), average: round2(row.revenue / row.orders) }))
  .sort((a, b) => b.revenue - a.revenue);`;

const w3: Workload = {
  id: 'W3',
  title: '~400 KB of records → 5-row summary',
  task: 'Using all order records, give me per region the number of orders, the revenue, the average and the largest order, biggest revenue first.',
  servers: ['bench'],
  tools: ['bench.records'],
  script: `const first = await mcp.bench.records({ page: 1 });
const rest = await Promise.all(Array.from({ length: first.pages - 1 }, (_, i) => mcp.bench.records({ page: i + 2 })));
${aggregateSource}`,
  peerScript: `const first = bench.bench_records({ page: 1 });
const rest = await Promise.all(Array.from({ length: first.pages - 1 }, (_, i) => bench.bench_records({ page: i + 2 })));
${stripTypes(aggregateSource)}`,
  direct: async (direct) => {
    const first = (await direct.call('bench', 'records', { page: 1 })) as Page;
    direct.nextWave();
    const rest = (await Promise.all(
      Array.from({ length: first.pages - 1 }, (_, i) => direct.call('bench', 'records', { page: i + 2 })),
    )) as Page[];
    return revenueByRegion([first, ...rest]);
  },
  runs: 30,
};

// ---- W4: CPU-bound work in the sandbox ----------------------------------------------------------------------------

const cpuSource = `let seed = 2463534242;
const next = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const numbers: number[] = Array.from({ length: 200000 }, () => Math.round(next() * 1000000) / 100);
numbers.sort((a, b) => a - b);
const sum = numbers.reduce((total, n) => total + n, 0);
const at = (q: number) => numbers[Math.floor(q * (numbers.length - 1))];
return [
  { stat: 'count', value: numbers.length },
  { stat: 'mean', value: Math.round((sum / numbers.length) * 100) / 100 },
  { stat: 'p50', value: at(0.5) },
  { stat: 'p90', value: at(0.9) },
  { stat: 'max', value: numbers[numbers.length - 1] },
];`;

const w4: Workload = {
  id: 'W4',
  title: 'sort + aggregate 200k numbers (CPU)',
  task: 'Generate 200,000 pseudo-random numbers, sort them and give me count, mean, median, p90 and max.',
  servers: [],
  tools: [],
  script: cpuSource,
  peerScript: stripTypes(cpuSource),
  // The very same source, compiled by the host's own V8: the floor for CPU-bound work.
  local: new Function(stripTypes(cpuSource)) as () => unknown,
  runs: 20,
};

// ---- W5: list, look up ten one by one, combine ----------------------------------------------------------------------

interface OrderDetail {
  id: number;
  customer: string;
  amount: number;
  status: string;
}

/** The answer the scripts compute, computed in the host to check them (also by test/agent). */
export function combineOrders(orders: readonly OrderDetail[]) {
  const total = orders.reduce((sum, order) => sum + order.amount, 0);
  const biggest = orders.reduce((a, b) => (b.amount > a.amount ? b : a));
  const byStatus: Record<string, number> = {};
  for (const order of orders) {
    byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
  }
  return {
    orders: orders.length,
    total: round2(total),
    biggest: { id: biggest.id, customer: biggest.customer, amount: biggest.amount },
    byStatus,
  };
}

const combineOrdersSource = `const total = orders.reduce((sum, order) => sum + order.amount, 0);
const biggest = orders.reduce((a, b) => (b.amount > a.amount ? b : a));
const byStatus: Record<string, number> = {};
for (const order of orders) byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
return { orders: orders.length, total: Math.round(total * 100) / 100, biggest: { id: biggest.id, customer: biggest.customer, amount: biggest.amount }, byStatus };`;

const w5: Workload = {
  id: 'W5',
  title: 'workflow: search, 10 lookups, combine',
  task: 'Take the first ten orders in the "tools" category, look each one up, and tell me their total, the biggest one and how many are in each status.',
  servers: ['bench'],
  tools: ['bench.searchRecords', 'bench.getRecord'],
  script: `const found = await mcp.bench.searchRecords({ category: 'tools', limit: 10 });
const orders = [];
for (const item of found.items) {
  orders.push(await mcp.bench.getRecord({ id: item.id }));
}
${combineOrdersSource}`,
  peerScript: `const found = bench.bench_searchRecords({ category: 'tools', limit: 10 });
const orders = [];
for (const item of found.items) {
  orders.push(bench.bench_getRecord({ id: item.id }));
}
${stripTypes(combineOrdersSource)}`,
  direct: async (direct) => {
    const found = (await direct.call('bench', 'searchRecords', { category: 'tools', limit: 10 })) as { items: Array<{ id: number }> };
    direct.nextWave();
    const orders: OrderDetail[] = [];
    for (const item of found.items) {
      orders.push((await direct.call('bench', 'getRecord', { id: item.id })) as OrderDetail);
    }
    return combineOrders(orders);
  },
  runs: 30,
};

// ---- W5 over the published server-filesystem ----------------------------------------------------------------------

/** The answer the scripts compute, computed in the host to check them (also by test/agent). */
export function noteStats(files: ReadonlyArray<{ name: string; text: string }>) {
  const rows = files.map(({ name, text }) => ({
    name,
    title: text.split('\n')[0].replace(/^#\s*/, ''),
    words: text.split(/\s+/).filter(Boolean).length,
  }));
  const longest = rows.reduce((a, b) => (b.words > a.words ? b : a));
  return {
    files: rows.length,
    words: rows.reduce((sum, row) => sum + row.words, 0),
    longest: { name: longest.name, title: longest.title, words: longest.words },
  };
}

const noteStatsSource = `const rows = files.map(({ name, text }) => ({
  name,
  title: text.split('\\n')[0].replace(/^#\\s*/, ''),
  words: text.split(/\\s+/).filter(Boolean).length,
}));
const longest = rows.reduce((a, b) => (b.words > a.words ? b : a));
return { files: rows.length, words: rows.reduce((sum, row) => sum + row.words, 0), longest: { name: longest.name, title: longest.title, words: longest.words } };`;

const firstTenNotes = (listing: string) =>
  listing
    .split('\n')
    .filter((line) => line.startsWith('[FILE] ') && line.endsWith('.md'))
    .map((line) => line.slice('[FILE] '.length))
    .sort()
    .slice(0, 10);

function w5fs(notesDir: string): Workload {
  const dir = JSON.stringify(notesDir);
  const pick = `.split('\\n').filter((line) => line.startsWith('[FILE] ') && line.endsWith('.md')).map((line) => line.slice(7)).sort().slice(0, 10)`;
  return {
    id: 'W5-fs',
    title: 'workflow on server-filesystem',
    task: `In ${notesDir}, read the first ten markdown notes and tell me how many words they hold and which is the longest.`,
    servers: ['fs'],
    tools: ['fs.list_directory', 'fs.read_text_file'],
    script: `const dir = ${dir};
const listing = await mcp.fs.listDirectory({ path: dir });
const names = listing.content${pick};
const files: Array<{ name: string; text: string }> = [];
for (const name of names) {
  const file = await mcp.fs.readTextFile({ path: \`\${dir}/\${name}\` });
  files.push({ name, text: file.content });
}
${noteStatsSource}`,
    peerScript: `const dir = ${dir};
const names = fs.fs_list_directory({ path: dir })${pick};
const files = [];
for (const name of names) {
  files.push({ name, text: fs.fs_read_text_file({ path: dir + '/' + name }) });
}
${stripTypes(noteStatsSource)}`,
    direct: async (direct) => {
      const listing = (await direct.call('fs', 'list_directory', { path: notesDir })) as { content: string };
      direct.nextWave();
      const files: Array<{ name: string; text: string }> = [];
      for (const name of firstTenNotes(listing.content)) {
        const file = (await direct.call('fs', 'read_text_file', { path: `${notesDir}/${name}` })) as { content: string };
        files.push({ name, text: file.content });
      }
      return noteStats(files);
    },
    runs: 25,
  };
}

// ---- W5 over the published server-memory ----------------------------------------------------------------------------

export interface Entity {
  name: string;
  observations: string[];
}

/** The answer the scripts compute, computed in the host to check them (also by test/agent). */
export function projectStats(entities: readonly Entity[]) {
  const rows = entities.map((entity) => {
    const value = (key: string) => entity.observations.find((o) => o.startsWith(`${key}:`))?.slice(key.length + 1) ?? '';
    return { name: entity.name, owner: value('owner'), budget: Number(value('budget')) };
  });
  const largest = rows.reduce((a, b) => (b.budget > a.budget ? b : a));
  return {
    projects: rows.length,
    budget: rows.reduce((sum, row) => sum + row.budget, 0),
    owners: new Set(rows.map((row) => row.owner)).size,
    largest,
  };
}

const projectStatsSource = `const rows = entities.map((entity) => {
  const value = (key: string) => entity.observations.find((o) => o.startsWith(\`\${key}:\`))?.slice(key.length + 1) ?? '';
  return { name: entity.name, owner: value('owner'), budget: Number(value('budget')) };
});
const largest = rows.reduce((a, b) => (b.budget > a.budget ? b : a));
return { projects: rows.length, budget: rows.reduce((sum, row) => sum + row.budget, 0), owners: new Set(rows.map((row) => row.owner)).size, largest };`;

const w5memory: Workload = {
  id: 'W5-memory',
  title: 'workflow on server-memory',
  task: 'Find the active projects in the knowledge graph, open the first ten one by one, and tell me their total budget, how many owners they have and the largest.',
  servers: ['memory'],
  tools: ['memory.search_nodes', 'memory.open_nodes'],
  script: `const found = await mcp.memory.searchNodes({ query: 'status:active' });
const names = found.entities.map((entity) => entity.name).sort().slice(0, 10);
const entities = [];
for (const name of names) {
  const opened = await mcp.memory.openNodes({ names: [name] });
  entities.push(opened.entities[0]);
}
${projectStatsSource}`,
  peerScript: `const found = memory.memory_search_nodes({ query: 'status:active' });
const names = found.entities.map((entity) => entity.name).sort().slice(0, 10);
const entities = [];
for (const name of names) {
  entities.push(memory.memory_open_nodes({ names: [name] }).entities[0]);
}
${stripTypes(projectStatsSource)}`,
  direct: async (direct) => {
    const found = (await direct.call('memory', 'search_nodes', { query: 'status:active' })) as { entities: Entity[] };
    direct.nextWave();
    const entities: Entity[] = [];
    for (const name of found.entities
      .map((entity) => entity.name)
      .sort()
      .slice(0, 10)) {
      entities.push(((await direct.call('memory', 'open_nodes', { names: [name] })) as { entities: Entity[] }).entities[0]);
    }
    return projectStats(entities);
  },
  runs: 25,
};

// ---- W6: a catalog the size of a user's (the three servers above and a ~125-tool GitHub-like one) ------------------

/** The answer the scripts compute, computed in the host to check them (also by test/agent). */
export function bugFixes(
  bugs: ReadonlyArray<{ number: number }>,
  fixesOf: ReadonlyArray<ReadonlyArray<{ state: string; merged: boolean }>>,
  commentCounts: readonly number[],
) {
  const state = (fixes: ReadonlyArray<{ state: string; merged: boolean }>) =>
    fixes.some((pull) => pull.merged) ? 'merged' : fixes.some((pull) => pull.state === 'open') ? 'open' : 'none';
  const numbers = (wanted: string) => bugs.filter((_, i) => state(fixesOf[i]) === wanted).map((bug) => bug.number);
  const most = commentCounts.reduce((best, count, i) => (count > commentCounts[best] ? i : best), 0);
  return {
    bugs: bugs.length,
    fixMerged: numbers('merged'),
    fixInReview: numbers('open'),
    noFix: numbers('none'),
    mostDiscussed: { number: bugs[most].number, comments: commentCounts[most] },
  };
}

const bugFixesSource = `const state = (fixes) => (fixes.some((pull) => pull.merged) ? 'merged' : fixes.some((pull) => pull.state === 'open') ? 'open' : 'none');
const numbers = (wanted) => bugs.filter((_, i) => state(fixes[i].items) === wanted).map((bug) => bug.number);
const most = comments.reduce((best, list, i) => (list.length > comments[best].length ? i : best), 0);
return { bugs: bugs.length, fixMerged: numbers('merged'), fixInReview: numbers('open'), noFix: numbers('none'), mostDiscussed: { number: bugs[most].number, comments: comments[most].length } };`;

const w6: Workload = {
  id: 'W6',
  title: 'a 150-tool catalog: open bugs, their fixes and comments',
  task: 'In acme/widgets, take the open issues labelled bug. For each, find the pull requests that fix it and read its comments. Tell me which bugs have a merged fix, which only a fix in review, which none, and which bug is the most discussed.',
  // The whole catalog: a traditional agent holds every tool's definition, and Code Mode's index lists them all.
  servers: ['bench', 'fs', 'memory', 'github'],
  tools: ['github.list_issues', 'github.search_pull_requests', 'github.get_issue_comments'],
  script: `const bugs = await mcp.github.listIssues({ owner: 'acme', repo: 'widgets', state: 'open', labels: ['bug'] });
const [fixes, comments] = await Promise.all([
  Promise.all(bugs.map((bug) => mcp.github.searchPullRequests({ query: \`repo:acme/widgets fixes #\${bug.number}\` }))),
  Promise.all(bugs.map((bug) => mcp.github.getIssueComments({ owner: 'acme', repo: 'widgets', issue_number: bug.number }))),
]);
${bugFixesSource}`,
  peerScript: `const bugs = github.github_list_issues({ owner: 'acme', repo: 'widgets', state: 'open', labels: ['bug'] });
const fixes = bugs.map((bug) => github.github_search_pull_requests({ query: 'repo:acme/widgets fixes #' + bug.number }));
const comments = bugs.map((bug) => github.github_get_issue_comments({ owner: 'acme', repo: 'widgets', issue_number: bug.number }));
${bugFixesSource}`,
  direct: async (direct) => {
    const bugs = (await direct.call('github', 'list_issues', { owner: 'acme', repo: 'widgets', state: 'open', labels: ['bug'] })) as Array<{
      number: number;
    }>;
    direct.nextWave();
    const [fixes, comments] = await Promise.all([
      Promise.all(
        bugs.map(
          (bug) =>
            direct.call('github', 'search_pull_requests', { query: `repo:acme/widgets fixes #${bug.number}` }) as Promise<{
              items: Array<{ state: string; merged: boolean }>;
            }>,
        ),
      ),
      Promise.all(
        bugs.map(
          (bug) =>
            direct.call('github', 'get_issue_comments', { owner: 'acme', repo: 'widgets', issue_number: bug.number }) as Promise<unknown[]>,
        ),
      ),
    ]);
    return bugFixes(
      bugs,
      fixes.map((found) => found.items),
      comments.map((list) => list.length),
    );
  },
  runs: 20,
};

export function workloads(notesDir: string): Workload[] {
  return [w0, w1, w2, w3, w4, w5, w5fs(notesDir), w5memory, w6];
}

/**
 * The peer runs JavaScript only: the type annotations of the sources above are removed by hand-written patterns
 * (they cover exactly the annotations used here; checked by running the result).
 */
function stripTypes(source: string): string {
  return source
    .replace(/new Map<[^>]*\}>\(\)/g, 'new Map()')
    .replace(/: Record<string, number>/g, '')
    .replace(/: number\[\]/g, '')
    .replace(/\((\w+): (?:number|string)\)/g, '($1)');
}
