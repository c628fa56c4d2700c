import { strict as assert } from 'node:assert';
import { duplicatesServedTool, extensionToolAllowed, isCodeModeTool } from '../../../src/core/mcp/editorToolPolicy';

describe("the editor's tools a script may reach", () => {
  it('an extension tool is reached only when a pattern names it', () => {
    assert.equal(extensionToolAllowed('myext_search', []), false);
    assert.equal(extensionToolAllowed('myext_search', ['myext_*']), true);
    assert.equal(extensionToolAllowed('myext_search', ['*']), true);
    assert.equal(extensionToolAllowed('myext_search', ['other_*', 'myext_sea?ch']), true);
    assert.equal(extensionToolAllowed('myext_search', ['MyExt_*']), false);
    assert.equal(extensionToolAllowed('myext.search', ['myext?search']), true);
    assert.equal(extensionToolAllowed('myextXsearch', ['myext.search']), false, 'a dot is a dot');
  });

  it('a tool that runs commands or changes files is reached only when named exactly, never through a wildcard', () => {
    for (const name of [
      'copilot_runInTerminal',
      'copilot_editFiles',
      'copilot_createFile',
      'myext_deleteItem',
      'run_task',
      'fixture_runInTerminal',
    ]) {
      assert.equal(extensionToolAllowed(name, ['*']), false, `${name} through *`);
      assert.equal(extensionToolAllowed(name, [`${name.slice(0, 4)}*`]), false, `${name} through a prefix`);
      assert.equal(extensionToolAllowed(name, [name]), true, `${name} named`);
    }
  });

  it("Code Mode's own tools are recognised, as Language Model Tools and as VS Code's MCP tools", () => {
    assert.equal(isCodeModeTool('codemode_run'), true);
    assert.equal(isCodeModeTool('mcp_codemode_run'), true);
    assert.equal(isCodeModeTool('mcp_codemode2_api'), true);
    assert.equal(isCodeModeTool('mcp_github_get_me'), false);
  });

  it('an MCP tool VS Code runs that repeats a tool of a server Code Mode runs is a duplicate; a different one is not', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    const served = [{ server: 'test', tools: [{ name: 'add', description: 'Adds.', inputSchema: schema }] }];
    assert.equal(duplicatesServedTool({ name: 'mcp_test_add', description: 'Adds.', inputSchema: schema }, served), true);
    assert.equal(duplicatesServedTool({ name: 'mcp_test_add', description: 'Adds more.', inputSchema: schema }, served), false);
    assert.equal(duplicatesServedTool({ name: 'mcp_test_add', description: 'Adds.', inputSchema: { type: 'object' } }, served), false);
    const reworked = {
      type: 'object',
      properties: { a: { type: 'number', description: 'added by the editor' } },
      additionalProperties: false,
    };
    assert.equal(
      duplicatesServedTool({ name: 'mcp_test_add', description: 'Adds.', inputSchema: reworked }, served),
      true,
      'a reworked schema',
    );
    assert.equal(duplicatesServedTool({ name: 'mcp_test_subtract', description: 'Adds.', inputSchema: schema }, served), false);
  });
});
