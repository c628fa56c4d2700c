import { strict as assert } from 'node:assert';
import { defaultLimits } from '../../../src/core/defaults';
import { runRecordVersion, type RunRecord } from '../../../src/core/runs/runRecord';
import { traceText } from '../../../src/core/runs/traceText';

const failed: RunRecord = {
  version: runRecordVersion,
  id: '0mx60a1b2-0a1b2c3d',
  origin: 'chat',
  startedAt: '2026-12-02T14:00:00.000Z',
  script: "const a = await mcp.test.add({ a: 1, b: 2 });\nconsole.log('sum', a.sum);\nawait mcp.test.fail({ message: 'disk full' });",
  backend: 'isolated-vm',
  limits: defaultLimits,
  bindings: [],
  calls: [
    { server: 'test', tool: 'add', args: { a: 1, b: 2 }, atMs: 1.5, ms: 2.25, ok: true, reply: { value: { sum: 3 } }, replyChars: 19 },
    {
      server: 'test',
      tool: 'fail',
      args: { message: 'disk full' },
      atMs: 4,
      ms: 1,
      ok: false,
      error: 'disk full',
      reply: { error: { name: 'ToolError', message: 'disk full' } },
      replyChars: 50,
    },
  ],
  logs: [{ level: 'log', text: 'sum 3' }],
  droppedLogs: 0,
  ok: false,
  error: { kind: 'script', name: 'ToolError', message: 'disk full', line: 3, column: 7 },
  report: 'The script failed: ToolError: disk full (line 3, column 7)',
  durationMs: 12.5,
  tokens: { traditional: 120, script: 40, received: 20, saved: 60 },
};

describe('traceText', () => {
  it('shows the run, the script with the failing line marked, the calls in order, console, error and report', () => {
    assert.equal(
      traceText(failed),
      [
        'Code Mode run 0mx60a1b2-0a1b2c3d (chat)',
        '2026-12-02 14:00:00 UTC, 12.5 ms on isolated-vm: failed: ToolError: disk full',
        'Tokens (o200k estimate): 60 saved; calling the tools one by one would have read and written 120, the script took 40 and its report 20',
        '',
        '── Script ──',
        '  1 │ const a = await mcp.test.add({ a: 1, b: 2 });',
        "  2 │ console.log('sum', a.sum);",
        "▶ 3 │ await mcp.test.fail({ message: 'disk full' });",
        '    │       ^ ToolError: disk full',
        '',
        '── Calls (2) ──',
        '1. +1.5 ms  test.add  ok  2.25 ms',
        '   args: {"a":1,"b":2}',
        '   result: {"sum":3}',
        '2. +4 ms  test.fail  failed  1 ms',
        '   args: {"message":"disk full"}',
        '   error: disk full',
        '',
        '── Console (1) ──',
        '[log] sum 3',
        '',
        '── Result ──',
        'ToolError: disk full',
        '',
        '── What the model received ──',
        'The script failed: ToolError: disk full (line 3, column 7)',
        '',
      ].join('\n'),
    );
  });

  it('shows a result as indented JSON and a reply that was not kept by its size', () => {
    const text = traceText({
      ...failed,
      ok: true,
      error: undefined,
      resultJson: '{"n":1}',
      calls: [{ ...failed.calls[0], reply: undefined, replyChars: 300000 }],
    });
    assert.match(text, /── Result ──\n\{\n {2}"n": 1\n\}/);
    assert.match(text, /result: \(300000 characters, not kept\)/);
    assert.doesNotMatch(text, /▶/);
  });
});
