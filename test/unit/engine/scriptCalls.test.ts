import { strict as assert } from 'node:assert';
import { bindApi } from '../../../src/core/codegen/identifiers';
import { computedCallsIn, toolsNamedIn } from '../../../src/core/engine/scriptCalls';
import { effectLines, scriptEffects } from '../../../src/core/approval/scriptEffects';

describe('toolsNamedIn (for the run confirmation)', () => {
  const bindings = bindApi([
    {
      server: 'my-fs',
      tools: [
        { name: 'read_text_file', inputSchema: {} },
        { name: 'list', inputSchema: {} },
      ],
    },
    { server: 'memory', tools: [{ name: 'create_entities', inputSchema: {} }] },
  ]);

  it('names each tool a script calls once, with exact names, in order of first mention', () => {
    const code = `
      const a = await mcp.myFs.readTextFile({ path: 'x' });
      await mcp . memory . createEntities({ entities: [] });
      const b = await mcp.myFs.readTextFile({ path: 'y' });
      await mcp.call('other-server', "some_tool", {});
      await mcp.call(\`my-fs\`, 'list');
    `;
    assert.deepEqual(toolsNamedIn(code, bindings), [
      'my-fs.read_text_file',
      'memory.create_entities',
      'other-server.some_tool',
      'my-fs.list',
    ]);
  });

  it('keeps names it cannot resolve as written, and finds none in a script without calls', () => {
    assert.deepEqual(toolsNamedIn('await mcp.nope.thing()', bindings), ['nope.thing']);
    assert.deepEqual(toolsNamedIn('return 1 + 1', bindings), []);
  });

  it('reads a long hostile line in linear time (a regex retried from every mention took seconds on 160 KB)', () => {
    // 1.2 MB on one line: every mention's string could end at any later quote of the line, and no ending fits.
    const code = `${"mcp.call('a ".repeat(100_000)}\nmcp.call('s', 't')`;
    const started = performance.now();
    const named = toolsNamedIn(code, bindings);
    const ms = performance.now() - started;
    assert.deepEqual(named, ['s.t']);
    // Quadratic work took minutes here; linear work takes milliseconds. The bound only catches the former.
    assert.ok(ms < 5_000, `${ms} ms`);
  });

  it('counts the calls whose names only the run knows: mcp.call with computed names, and mcp[…]', () => {
    const code = `
      await mcp.call('my-fs', 'list');
      await mcp.call(server, 'list');
      await mcp.call('my-fs', names[0], {});
      await mcp['my-fs'].list();
      await mcp.myFs.readTextFile({ path: 'x' });
      const mcpish = 1;
    `;
    assert.equal(computedCallsIn(code), 3);
    assert.equal(computedCallsIn('return 1'), 0);
  });

  it('groups the named tools by what their servers say they do, for the run confirmation', () => {
    const servers = [
      {
        server: 'fs',
        tools: [
          { name: 'read', inputSchema: {}, annotations: { readOnlyHint: true } },
          { name: 'write', inputSchema: {}, annotations: { destructiveHint: false } },
          { name: 'move', inputSchema: {} },
        ],
      },
    ];
    const effects = scriptEffects(['fs.read', 'fs.write', 'fs.move', 'fs.gone'], servers, 2);
    assert.deepEqual(effects, { read: ['fs.read'], write: ['fs.write'], destructive: ['fs.move'], unknown: ['fs.gone'], computed: 2 });
    assert.deepEqual(
      effectLines(effects, (name) => `\`${name}\``),
      [
        'Reads: `fs.read`',
        'Writes: `fs.write`',
        'May delete or overwrite: `fs.move`',
        'Not listed by any server now: `fs.gone`',
        'Calls named only at run time: 2 (`mcp.call` with computed names, or `mcp[…]`)',
      ],
    );
    assert.deepEqual(effectLines(scriptEffects([], servers, 0), String), ['Calls no tool by name.']);
  });
});
