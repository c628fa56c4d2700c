import { strict as assert } from 'node:assert';
import { ScriptChecker } from '../../../src/core/check/scriptChecker';
import type { ServerTools } from '../../../src/core/mcp/toolInfo';

const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });

const servers: ServerTools[] = [
  {
    server: 'notes',
    tools: [
      {
        name: 'read_note',
        description: 'Reads a note.',
        inputSchema: object({ id: { type: 'string' } }, ['id']),
        outputSchema: object({ title: { type: 'string' }, body: { type: 'string' } }, ['title', 'body']),
      },
      { name: 'list_notes', description: 'Lists notes.', inputSchema: object({ tag: { type: 'string', enum: ['work', 'home'] } }) },
      { name: 'delete_note', description: 'Deletes a note.', inputSchema: object({ id: { type: 'string' } }, ['id']) },
    ],
  },
  { server: 'mail', tools: [{ name: 'send', inputSchema: object({ to: { type: 'string' }, body: { type: 'string' } }, ['to', 'body']) }] },
];

describe('ScriptChecker', () => {
  const checker = new ScriptChecker();

  it('gives each problem with the line and column of the script itself, its code and message', () => {
    const check = checker.check(`const a = 1;\n\nconst note = await mcp.notes.Readnote({ id: 'x' });\nreturn note;`, servers);
    assert.equal(check.ok, false);
    assert.deepEqual(check.diagnostics, [
      { line: 3, column: 30, code: 2551, message: "Property 'Readnote' does not exist on type 'NotesTools'. Did you mean 'readNote'?" },
    ]);
  });

  it('tells the model what to fix: the line, and the declarations of the tools involved (also under a wrong-case name) only', () => {
    const { text } = checker.check(`const note = await mcp.notes.ReadNote({ id: 'x' });\nreturn note.title;`, servers);
    assert.match(
      text,
      /^TypeCheckError: the script was not run, so no tool was called\. This problem would make it fail:\nline 1, column 30: .*\(TS2551\)\n {4}const note = await mcp\.notes\.ReadNote\(\{ id: 'x' \}\);\n/,
    );
    assert.match(text, /Declarations of the tools involved:\n/);
    assert.match(text, /readNote\(args: NotesReadNoteInput\): Promise<NotesReadNoteOutput>;/);
    assert.doesNotMatch(text, /deleteNote|listNotes|mail/);
  });

  it('a missing await names the tool called where the value came from, several lines up', () => {
    const check = checker.check(
      `const pending = mcp.notes.readNote({ id: 'x' });\nconsole.log('reading');\nreturn pending.title;`,
      servers,
    );
    assert.deepEqual(
      check.diagnostics.map((d) => [d.line, d.code]),
      [[3, 2339]],
    );
    assert.match(check.diagnostics[0].message, /Property 'title' does not exist on type 'Promise<NotesReadNoteOutput>'/);
    assert.match(check.text, /readNote\(args: NotesReadNoteInput\)/);
  });

  it('an unknown server or tool lists what there is, and the type of mcp is named, not spelled out', () => {
    const server = checker.check(`await mcp.github.search({});`, servers);
    assert.equal(server.diagnostics[0].message, "Property 'github' does not exist on type 'typeof mcp'.");
    assert.match(server.text, /There is no server "github"; the servers are: mcp\.notes, mcp\.mail\./);
    const tool = checker.check(`await mcp.mail.sendMail({ to: 'a', body: 'b' });`, servers);
    assert.match(tool.text, /mcp\.mail has no tool "sendMail"; its tools are: send\./);
  });

  it('mcp.call with literal names that no tool has, giving the exact name a camelCase one meant', () => {
    const check = checker.check(
      `await mcp.call('notes', 'readNote', { id: 'x' });\nawait mcp.call('notez', 'read_note');\nconst t = 'x';\nawait mcp.call('notes', t);`,
      servers,
    );
    assert.deepEqual(check.diagnostics, [
      {
        line: 1,
        column: 25,
        code: 2345,
        message: 'mcp.call: server "notes" has no tool "readNote"; mcp.call takes the exact names. Its exact name is "read_note".',
      },
      { line: 2, column: 16, code: 2345, message: 'mcp.call: there is no server "notez" (the servers: "notes", "mail").' },
    ]);
    assert.match(check.text, /readNote\(args: NotesReadNoteInput\)/);
  });

  // Contract change (issue 12): an unavailable server stays on `mcp`, and its calls reject at run time with a ToolError
  // that says why; the check lets both forms through rather than block with a less precise message.
  it('a configured server that is not up: mcp.call and mcp.<server> pass the check (their calls fail at run time, saying why)', () => {
    const down = [{ server: 'slow-server', message: 'still starting after 1000 ms' }];
    assert.equal(checker.check(`return await mcp.call('slow-server', 'x', {});`, servers, undefined, down).ok, true);
    assert.equal(checker.check(`return await mcp.slowServer.x({});`, servers, undefined, down).ok, true);
    // Without that server configured, the same member is an unknown server.
    assert.equal(checker.check(`return await mcp.slowServer.x({});`, servers).ok, false);
  });

  it('reports syntax errors itself (codemode check), and every problem, in order', () => {
    const check = checker.check(`const x = [1, 2;\nreturn x;`, servers);
    assert.equal(check.ok, false);
    assert.deepEqual(
      check.diagnostics.map((d) => [d.line, d.column, d.code]),
      [[1, 16, 1005]],
    );
    const many = checker.check(`const a = require('a');\nawait mcp.mail.send('hi');\nconst b = 1;\nb = 2;`, servers);
    assert.deepEqual(
      many.diagnostics.map((d) => [d.line, d.code]),
      [
        [1, 2591],
        [2, 2345],
        [4, 2588],
      ],
    );
    assert.match(many.text, /These 3 problems would make it fail:/);
  });

  it('leaves alone what may be right at run time', () => {
    const lenient = [
      `let tag = 'work';\nreturn await mcp.notes.listNotes({ tag });`,
      `const listed = await mcp.notes.listNotes();\nreturn listed.whatever.deep;`,
      `const o = {};\no.x = 1;\nreturn o;`,
      `function f(x) { return x.y; }\nreturn f({ y: 1 });`,
      `const n = [1, 2].find((x) => x > 5);\nreturn n.toFixed();`,
      `let s: string = 'a';\nconst t: number = s as any;\nreturn t;`,
      `return typeof fetch === 'function' ? 'web' : 'isolate';`,
    ];
    for (const script of lenient) {
      assert.deepEqual(checker.check(script, servers).diagnostics, [], script);
    }
  });

  it('blocks a literal outside an enum, but not a string variable that may hold an allowed one', () => {
    assert.deepEqual(
      checker.check(`await mcp.notes.listNotes({ tag: 'play' });`, servers).diagnostics.map((d) => d.code),
      [2322],
    );
    assert.deepEqual(
      checker.check(`const tags = ['work'];\nfor (const tag of tags) await mcp.notes.listNotes({ tag });`, servers).diagnostics,
      [],
    );
  });

  it('lets a script too long to check in a moment run unchecked, and says so', () => {
    const lines: string[] = [];
    const logger = {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => void lines.push(m),
      error: () => undefined,
    };
    const long = `${'// padding\n'.repeat(20_000)}return process.env;`;
    assert.equal(checker.check(long, servers, logger).ok, true);
    assert.deepEqual(lines, ['the script runs unchecked: it is longer than 200000 characters']);
    assert.equal(checker.check(`// short\nreturn process.env;`, servers, logger).ok, false);
  });

  it('follows the API when the tools change', () => {
    assert.equal(checker.check(`await mcp.mail.archive({});`, servers).ok, false);
    const more: ServerTools[] = [
      servers[0],
      { server: 'mail', tools: [...servers[1].tools, { name: 'archive', inputSchema: object({}) }] },
    ];
    assert.equal(checker.check(`await mcp.mail.archive({});`, more).ok, true);
  });
});
