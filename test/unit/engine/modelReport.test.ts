import { strict as assert } from 'node:assert';
import { modelReport, reportBudget } from '../../../src/core/engine/modelReport';
import { byteLength } from '../../../src/core/engine/utf8';
import { createTestEngine, stdioTestServer, type TestEngine } from '../helpers';

describe('modelReport', () => {
  let t: TestEngine;
  before(async () => {
    t = await createTestEngine([stdioTestServer()]);
  });
  after(() => t.dispose());

  it('takes the smaller of the token budget and the byte limit, and never less than 1,000 bytes', () => {
    assert.equal(reportBudget(undefined), 8_000);
    assert.equal(reportBudget(100_000), 8_000);
    assert.equal(reportBudget(1_000), 3_000);
    assert.equal(reportBudget(1_000, 2_000), 2_000);
    assert.equal(reportBudget(100_000, 50_000), 50_000);
    assert.equal(reportBudget(10), 1_000);
  });

  it('keeps a small report whole', async () => {
    const run = await t.engine.run(`console.log('hi'); return (await mcp.test.add({ a: 1, b: 2 }))`);
    assert.match(modelReport(run), /^Result:\n\{"sum":3\}\n\nConsole:\n\[log\] hi\n\nTool calls: 1 \(test\.add ×1\); [\d.]+ ms\.$/);
  });

  it('fits a 30 KB result in 8,000 bytes as valid JSON that counts the rows left out', async () => {
    const run = await t.engine.run(`return await mcp.test.records({ count: 600 })`);
    assert.ok(JSON.stringify(run.result).length > 30_000);
    const report = modelReport(run, 8_000);
    assert.ok(byteLength(report) <= 8_000, `${byteLength(report)} bytes`);
    const [heading, json] = report.split('\n');
    assert.match(heading, /^Result \(cut to fit 8,000 bytes; [\d,]+ characters in all; return a smaller summary to see the rest\):$/);
    const rows = JSON.parse(json) as unknown[];
    assert.ok(rows.length > 20, `${rows.length} rows`);
    assert.equal(rows.at(-1), `…and ${(600 - rows.length + 1).toLocaleString('en-US')} more rows`);
    assert.match(report, /\n\nTool calls: 1 \(test\.records ×1\); [\d.]+ ms\.$/);
  });

  it('counts console output in the budget: 100,000 logged characters with a 1,000-token budget', async () => {
    const run = await t.engine.run(`for (let i = 0; i < 100; i++) console.log(String(i).padEnd(1000, '.')); return { ok: true }`);
    const budget = reportBudget(1_000);
    const report = modelReport(run, budget);
    assert.ok(byteLength(report) <= budget, `${byteLength(report)} bytes`);
    assert.match(report, /^Result:\n\{"ok":true\}\n\nConsole:\n\[log\] 0\.{3}/);
    const hidden = Number(/\n… (\d+) more entries not shown\n/.exec(report)?.[1]);
    const shown = report.split('\n').filter((line) => line.startsWith('[log] ')).length;
    assert.equal(shown + hidden, 100);
    assert.match(report, /No tool calls; [\d.]+ ms\.$/);
  });

  it('shares the budget between a large result and a large console', async () => {
    const run = await t.engine.run(
      `for (let i = 0; i < 50; i++) console.log('x'.repeat(2000)); return Array.from({ length: 2000 }, (_, i) => ({ i }))`,
    );
    const report = modelReport(run, 8_000);
    assert.ok(byteLength(report) <= 8_000);
    const rows = JSON.parse(report.split('\n')[1]) as unknown[];
    assert.ok(rows.length > 100, `${rows.length} rows`);
    assert.ok(report.indexOf('[log] xxx') > 0);
    assert.ok(byteLength(report.slice(report.indexOf('\nConsole:'))) >= 1_500, 'the console keeps a share');
  });

  it('cuts a long failure message and keeps the call summary and the request to fix the script', async () => {
    const run = await t.engine.run(`await mcp.test.add({ a: 1, b: 1 }); throw new Error('😀'.repeat(10_000))`);
    const report = modelReport(run, 2_000);
    assert.ok(byteLength(report) <= 2_000);
    assert.match(report, /^The script failed: Error: 😀+…\n/u);
    assert.match(report, /\nTool calls: 1 \(test\.add ×1\); [\d.]+ ms\.\nFix the script and run it again\.$/);
  });
});
