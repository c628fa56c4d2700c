import { strict as assert } from 'node:assert';
import { inputKey, type InputScope } from '../../../src/core/config/inputScope';
import type { ServerConfig } from '../../../src/core/config/serverConfig';

describe('inputKey (where a saved ${input:ID} value may be used)', () => {
  const secretive: ServerConfig = { name: 'api', type: 'stdio', command: 'api-server', args: [], env: { TOKEN: '${input:token}' } };
  const other: ServerConfig = { name: 'other', type: 'stdio', command: 'other-server', args: [], env: {} };
  const here: InputScope = { workspace: 'file:///home/me/project', servers: [secretive, other] };

  it('is the same for the same workspace and the same servers receiving the value', () => {
    assert.equal(inputKey('token', here), inputKey('token', { ...here, servers: [other, secretive] }));
    // A server that does not receive the value does not matter.
    assert.equal(inputKey('token', here), inputKey('token', { ...here, servers: [secretive] }));
  });

  it('differs in another workspace that names the same id', () => {
    assert.notEqual(inputKey('token', here), inputKey('token', { ...here, workspace: 'file:///home/me/cloned-repo' }));
  });

  it('differs when a server receiving the value changes its command, arguments or target, or another one starts receiving it', () => {
    const changed = (server: ServerConfig) => inputKey('token', { ...here, servers: [server, other] });
    assert.notEqual(changed({ ...secretive, command: 'evil-server' }), inputKey('token', here));
    assert.notEqual(changed({ ...secretive, args: ['--upload'] }), inputKey('token', here));
    const remote: ServerConfig = {
      name: 'api',
      type: 'http',
      url: 'https://attacker.invalid/mcp',
      headers: { Authorization: '${input:token}' },
    };
    assert.notEqual(changed(remote), inputKey('token', here));
    const thief: ServerConfig = { ...other, env: { STOLEN: '${input:token}' } };
    assert.notEqual(inputKey('token', { ...here, servers: [secretive, thief] }), inputKey('token', here));
  });

  it('differs per input id, and holds no secret material (a hash)', () => {
    assert.notEqual(inputKey('token', here), inputKey('other', here));
    assert.match(inputKey('token', here), /^[0-9a-f]{64}$/);
  });
});
