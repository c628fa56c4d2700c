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

  it('matches patterns in linear time: a catastrophic pattern answers at once, in pattern and propertyNames alike', () => {
    const hostile = 'a'.repeat(50) + 'b'; // 2^50 steps for a backtracking engine
    const pattern = { type: 'object', properties: { text: { type: 'string', pattern: '^(a+)+$' } } };
    assert.equal(validator.check(pattern, { text: hostile }), 'args.text must match pattern "^(a+)+$"');
    assert.equal(validator.check(pattern, { text: 'aaaa' }), undefined);
    const names = { type: 'object', propertyNames: { pattern: '^(a+)+$' } };
    assert.match(validator.check(names, { [hostile]: 1 }) ?? '', /must match pattern "\^\(a\+\)\+\$"/);
  });

  it('keeps patterns RE2 cannot express (lookahead, backreference) working, and Unicode and case-insensitive ones', () => {
    const schema = {
      type: 'object',
      properties: {
        password: { type: 'string', pattern: '^(?=.*\\d).{4,}$' },
        twice: { type: 'string', pattern: '^(\\w)\\1$' },
        word: { type: 'string', pattern: '^\\p{L}+$' },
      },
    };
    assert.equal(validator.check(schema, { password: 'abc1', twice: 'xx', word: 'héllo' }), undefined);
    assert.equal(
      validator.check(schema, { password: 'abcd', twice: 'xy', word: 'h3llo' }),
      'args.password must match pattern "^(?=.*\\d).{4,}$"; args.twice must match pattern "^(\\w)\\1$"; args.word must match pattern "^\\p{L}+$"',
    );
  });

  it('names fields from the root it is given (results are checked as `result`)', () => {
    assert.equal(validator.check({ type: 'object', required: ['sum'] }, {}, 'result'), 'result.sum is required');
  });

  it('keeps each pattern its own (Ajv caches matchers by their text)', () => {
    const fresh = new ArgumentValidator();
    const digits = { type: 'object', properties: { v: { type: 'string', pattern: '^[0-9]+$' } } };
    const letters = { type: 'object', properties: { v: { type: 'string', pattern: '^[a-z]+$' } } };
    assert.equal(fresh.check(digits, { v: '12' }), undefined);
    assert.equal(fresh.check(letters, { v: 'ab' }), undefined);
    assert.equal(fresh.check(letters, { v: '12' }), 'args.v must match pattern "^[a-z]+$"');
  });
});
