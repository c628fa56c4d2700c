import { strict as assert } from 'node:assert';
import { bindApi, toIdentifier, uniqueNames } from '../../../src/core/codegen/identifiers';
import type { ServerTools } from '../../../src/core/mcp/toolInfo';

const server = (name: string, ...tools: string[]): ServerTools => ({
  server: name,
  tools: tools.map((tool) => ({ name: tool, inputSchema: { type: 'object' } })),
});

describe('toIdentifier', () => {
  const cases: [string, string][] = [
    // Separators: anything that cannot continue an identifier, and `_`.
    ['read_text_file', 'readTextFile'],
    ['my-server', 'myServer'],
    ['get.user', 'getUser'],
    ['  list files  ', 'listFiles'],
    ['a/b:c@d', 'aBCD'],
    ['$ref', 'ref'],
    ['READ_FILE', 'readFile'],
    // Case boundaries: lower→Upper, digit→Upper, and the end of an acronym.
    ['getUser', 'getUser'],
    ['GetUser', 'getUser'],
    ['getHTTPResponse', 'getHttpResponse'],
    ['HTTPServer', 'httpServer'],
    ['sha256Hash', 'sha256Hash'],
    ['get2FA', 'get2Fa'],
    ['get_2fa_code', 'get2faCode'],
    // Unicode letters are kept; case mapping applies to them too.
    ['café', 'café'],
    ['Café_Menu', 'caféMenu'],
    ['日本語_ツール', '日本語ツール'],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name)} → ${expected}`, () => assert.equal(toIdentifier(name), expected));
  }

  it('normalizes to NFC, so one name spelled two ways gives one identifier', () => {
    assert.equal(toIdentifier('cafe\u0301'), 'caf\u00e9');
  });

  it('prefixes a leading digit with _', () => {
    assert.equal(toIdentifier('2fa'), '_2fa');
    assert.equal(toIdentifier('123'), '_123');
    assert.equal(toIdentifier('3d-model'), '_3dModel');
  });

  it('prefixes reserved words with _', () => {
    const words = ['delete', 'class', 'await', 'yield', 'let', 'static', 'enum', 'implements', 'package', 'null'];
    assert.deepEqual(
      words.map(toIdentifier),
      words.map((w) => `_${w}`),
    );
    assert.equal(toIdentifier('DELETE'), '_delete');
    assert.equal(toIdentifier('new'), '_new');
  });

  it('prefixes globals a script could not shadow safely with _', () => {
    assert.deepEqual(['undefined', 'eval', 'arguments'].map(toIdentifier), ['_undefined', '_eval', '_arguments']);
    // The first word is lower-cased, so these never come out as the globals themselves.
    assert.deepEqual(['NaN', 'Infinity'].map(toIdentifier), ['naN', 'infinity']);
  });

  it('prefixes members of Object.prototype with _', () => {
    const members = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString'];
    assert.deepEqual(
      members.map(toIdentifier),
      members.map((m) => `_${m}`),
    );
    assert.equal(toIdentifier('property_is_enumerable'), '_propertyIsEnumerable');
    // Underscores separate words, so these no longer name the prototype members.
    assert.equal(toIdentifier('__proto__'), 'proto');
    assert.equal(toIdentifier('__defineGetter__'), 'defineGetter');
  });

  it('returns "" when nothing usable remains', () => {
    assert.equal(toIdentifier(''), '');
    assert.equal(toIdentifier('---'), '');
    assert.equal(toIdentifier('__'), '');
    assert.equal(toIdentifier('!!!'), '');
  });
});

describe('uniqueNames', () => {
  it('keeps the first and numbers the rest from 2', () => {
    assert.deepEqual(uniqueNames(['a', 'b', 'a', 'a']), ['a', 'b', 'a2', 'a3']);
  });

  it('never takes a name another entry has', () => {
    assert.deepEqual(uniqueNames(['a', 'a', 'a2']), ['a', 'a3', 'a2']);
  });

  it('respects names already taken', () => {
    assert.deepEqual(uniqueNames(['x'], new Set(['x', 'x2'])), ['x3']);
  });
});

describe('bindApi', () => {
  it('binds every tool of every server, in order, keeping the exact names', () => {
    assert.deepEqual(bindApi([server('fs', 'read_text_file', 'list_directory'), server('my-server', 'get.user')]), [
      { server: 'fs', tool: 'read_text_file', serverId: 'fs', toolId: 'readTextFile' },
      { server: 'fs', tool: 'list_directory', serverId: 'fs', toolId: 'listDirectory' },
      { server: 'my-server', tool: 'get.user', serverId: 'myServer', toolId: 'getUser' },
    ]);
  });

  it('numbers colliding tool ids, the first in the list keeping the bare name', () => {
    const ids = bindApi([server('s', 'getUser', 'get_user', 'get-user')]).map((b) => b.toolId);
    assert.deepEqual(ids, ['getUser', 'getUser2', 'getUser3']);
  });

  it('skips a suffix another tool already has', () => {
    const ids = bindApi([server('s', 'getUser', 'get_user', 'getUser2')]).map((b) => b.toolId);
    assert.deepEqual(ids, ['getUser', 'getUser3', 'getUser2']);
  });

  it('names tools with nothing usable tool1, tool2, … by position', () => {
    const ids = bindApi([server('s', 'ok', '', '***', '日本')]).map((b) => b.toolId);
    assert.deepEqual(ids, ['ok', 'tool2', 'tool3', '日本']);
  });

  it('numbers a positional name that collides like any other', () => {
    const ids = bindApi([server('s', '', 'tool1')]).map((b) => b.toolId);
    assert.deepEqual(ids, ['tool1', 'tool12']);
  });

  it('applies the same rules to server ids, and keeps `call` for mcp.call', () => {
    const servers = [server('call', 't'), server('', 't'), server('My Server', 't'), server('my-server', 't')];
    assert.deepEqual(
      bindApi(servers).map((b) => b.serverId),
      ['_call', 'server2', 'myServer', 'myServer2'],
    );
    assert.deepEqual(
      bindApi([server('Call', 't'), server('_call', 't'), server('delete', 't')]).map((b) => b.serverId),
      ['_call', '_call2', '_delete'],
    );
  });

  it('gives servers without tools a name too, so later ids do not shift when tools appear', () => {
    const bindings = bindApi([server('a'), server('a', 't')]);
    assert.deepEqual(bindings, [{ server: 'a', tool: 't', serverId: 'a2', toolId: 't' }]);
  });

  it('is deterministic', () => {
    const servers = [server('x', 'a', 'A', '', 'a_'), server('x', 'a')];
    assert.deepEqual(bindApi(servers), bindApi(structuredClone(servers)));
  });
});
