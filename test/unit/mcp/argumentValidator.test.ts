import { strict as assert } from 'node:assert';
import { ArgumentValidator } from '../../../src/core/mcp/argumentValidator';

describe('ArgumentValidator', () => {
  const validator = new ArgumentValidator();
  const schema = {
    type: 'object',
    properties: { path: { type: 'string', format: 'made-up-format' }, depth: { type: 'integer' }, mode: { enum: ['a', 'b'] } },
    required: ['path'],
    additionalProperties: false,
  };

  it('accepts fitting arguments, ignoring unknown formats', () => {
    assert.equal(validator.check(schema, { path: 'x', depth: 2, mode: 'a' }), undefined);
  });

  it('names each offending field and what it expected', () => {
    assert.equal(validator.check(schema, { depth: 'deep' }), 'args.path is required; args.depth must be integer, received string');
    assert.equal(validator.check(schema, { path: 'x', extra: 1 }), 'args.extra is not an expected field');
    assert.equal(validator.check(schema, { path: 'x', mode: 'c' }), 'args.mode must be one of "a", "b"');
  });

  it('names nested fields by their path', () => {
    const nested = {
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'number' } } } } },
    };
    assert.equal(validator.check(nested, { items: [{ id: 1 }, { id: 'two' }] }), 'args.items.1.id must be number, received string');
  });

  it('uses the dialect the schema declares (draft-07 by default, 2020-12 when declared)', () => {
    const tuple = { type: 'array', prefixItems: [{ type: 'number' }], items: false };
    const draft2020 = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { pair: tuple } };
    assert.match(validator.check(draft2020, { pair: [1, 2] }) ?? '', /args\.pair/);
    assert.equal(validator.check(draft2020, { pair: [1] }), undefined);
    // draft-07 does not know prefixItems, and `items: false` there forbids every item.
    const draft07 = { type: 'object', properties: { pair: tuple } };
    assert.match(validator.check(draft07, { pair: [1] }) ?? '', /args\.pair/);
  });

  it('treats a required property that has a default as optional (the server fills it in), at any depth', () => {
    const screenshot = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        scale: { type: 'number', default: 1 },
        region: { type: 'object', properties: { x: { type: 'number', default: 0 }, y: { type: 'number' } }, required: ['x', 'y'] },
        ['__proto__']: { type: 'string', default: 'kept' },
      },
      required: ['name', 'scale', '__proto__'],
    };
    assert.equal(validator.check(screenshot, { name: 'home' }), undefined);
    assert.equal(validator.check(screenshot, { name: 'home', region: { y: 2 } }), undefined);
    assert.equal(validator.check(screenshot, { scale: 2 }), 'args.name is required');
    assert.equal(validator.check(screenshot, { name: 'home', region: {} }), 'args.region.y is required');
    assert.equal(validator.check(screenshot, { name: 'home', scale: 'big' }), 'args.scale must be number, received string');
  });

  it('skips validation of a schema it cannot compile instead of failing the call', () => {
    assert.equal(validator.check({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, { a: 1 }), undefined);
  });
});
