import { strict as assert } from 'node:assert';
import { convertSchema, docComment, resolvePointer, schemaToType } from '../../../src/core/codegen/schemaToType';

const lines = (...text: string[]) => text.join('\n');
const expectType = (schema: unknown, expected: string) => assert.equal(schemaToType(schema), expected);

describe('schemaToType', () => {
  describe('primitives', () => {
    it('maps the JSON types', () => {
      expectType({ type: 'string' }, 'string');
      expectType({ type: 'number' }, 'number');
      expectType({ type: 'integer' }, 'number');
      expectType({ type: 'boolean' }, 'boolean');
      expectType({ type: 'null' }, 'null');
    });

    it('unions a type array, merging integer into number', () => {
      expectType({ type: ['string', 'null'] }, 'string | null');
      expectType({ type: ['integer', 'number'] }, 'number');
    });

    it('adds null for OpenAPI `nullable`', () => {
      expectType({ type: 'string', nullable: true }, 'string | null');
      expectType({ type: ['string', 'null'], nullable: true }, 'string | null');
    });

    it('ignores format and other annotations', () => {
      expectType({ type: 'string', format: 'uri', minLength: 1, default: 'x', examples: ['y'] }, 'string');
    });

    it('gives unknown for an unknown type name', () => {
      expectType({ type: 'any' }, 'unknown');
      expectType({ type: ['string', 'whatever'] }, 'unknown');
    });
  });

  describe('literals', () => {
    it('turns enum into a union of literals, escaped as JSON', () => {
      expectType(
        { enum: ['a', 'say "hi"', 'back\\slash', 1.5, -2, true, null] },
        '"a" | "say \\"hi\\"" | "back\\\\slash" | 1.5 | -2 | true | null',
      );
    });

    it('escapes line and paragraph separators, which older parsers reject in strings', () => {
      expectType({ const: 'a\u2028b\u2029c' }, '"a\\u2028b\\u2029c"');
    });

    it('turns const into one literal', () => {
      expectType({ const: 'fixed' }, '"fixed"');
      expectType({ type: 'number', const: 0 }, '0');
    });

    it('gives unknown for object and array values, which have no literal type', () => {
      expectType({ const: { a: 1 } }, 'unknown');
      expectType({ enum: ['a', [1]] }, 'unknown');
    });

    it('gives never for an empty enum', () => {
      expectType({ enum: [] }, 'never');
    });
  });

  describe('objects', () => {
    it('lists properties, optional unless required, with descriptions as JSDoc', () => {
      const schema = {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'Path of the file.' },
          head: { type: 'integer', description: 'First lines only.\nIgnored with tail.' },
          tail: { type: 'integer' },
        },
        required: ['path'],
      };
      expectType(
        schema,
        lines(
          '{',
          '  /** Path of the file. */',
          '  path: string;',
          '  /**',
          '   * First lines only.',
          '   * Ignored with tail.',
          '   */',
          '  head?: number;',
          '  tail?: number;',
          '}',
        ),
      );
    });

    it('quotes property names that are not plain identifiers', () => {
      const schema = { type: 'object', properties: { 'x-api-key': {}, '0': {}, 'a b': {}, 'say"': {}, café: {}, $ok: {}, _ok: {} } };
      expectType(
        schema,
        lines(
          '{',
          '  "0"?: unknown;',
          '  "x-api-key"?: unknown;',
          '  "a b"?: unknown;',
          '  "say\\""?: unknown;',
          '  "café"?: unknown;',
          '  $ok?: unknown;',
          '  _ok?: unknown;',
          '}',
        ),
      );
    });

    it('lets an optional property named like a member of Object.prototype be omitted', () => {
      // Without `| Object["toString"]`, TypeScript would reject `{}`: its inherited toString is not a string.
      const schema = {
        type: 'object',
        properties: { toString: { type: 'string' }, constructor: { type: 'string' } },
        required: ['constructor'],
      };
      expectType(schema, lines('{', '  toString?: string | Object["toString"];', '  constructor: string;', '}'));
    });

    it('declares required properties that are not listed as unknown', () => {
      expectType(
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] },
        lines('{', '  a: string;', '  b: unknown;', '}'),
      );
    });

    it('gives an object without properties an index signature', () => {
      expectType({ type: 'object' }, '{ [key: string]: unknown }');
      expectType({ type: 'object', properties: {} }, '{ [key: string]: unknown }');
      expectType({ type: 'object', additionalProperties: { type: 'number' } }, '{ [key: string]: number }');
      expectType({ type: 'object', additionalProperties: false }, '{ [key: string]: never }');
    });

    it('adds no index signature beside properties unless additionalProperties is a schema', () => {
      const props = { a: { type: 'string' } };
      const closed = lines('{', '  a?: string;', '}');
      expectType({ type: 'object', properties: props }, closed);
      expectType({ type: 'object', properties: props, additionalProperties: true }, closed);
      expectType({ type: 'object', properties: props, additionalProperties: false }, closed);
    });

    it('uses the additionalProperties type only when every property is required and has it', () => {
      const props = { a: { type: 'string' } };
      expectType(
        { type: 'object', properties: props, required: ['a'], additionalProperties: { type: 'string' } },
        lines('{', '  a: string;', '  [key: string]: string;', '}'),
      );
      // `a?: string` or `a: string` beside `[key: string]: number` would not compile.
      expectType(
        { type: 'object', properties: props, additionalProperties: { type: 'string' } },
        lines('{', '  a?: string;', '  [key: string]: unknown;', '}'),
      );
      expectType(
        { type: 'object', properties: props, required: ['a'], additionalProperties: { type: 'number' } },
        lines('{', '  a: string;', '  [key: string]: unknown;', '}'),
      );
    });

    it('gives patternProperties an unknown index signature', () => {
      expectType(
        { type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false },
        '{ [key: string]: unknown }',
      );
    });

    it('indents nested objects, and an object-typed index signature', () => {
      const schema = {
        type: 'object',
        properties: { user: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
        additionalProperties: { type: 'object', properties: { n: { type: 'number' } } },
      };
      expectType(schema, lines('{', '  user?: {', '    name: string;', '  };', '  [key: string]: unknown;', '}'));
      expectType(
        { type: 'object', additionalProperties: { type: 'object', properties: { n: { type: 'number' } } } },
        lines('{', '  [key: string]: {', '    n?: number;', '  };', '}'),
      );
    });

    it('implies type object from properties', () => {
      expectType({ properties: { a: { type: 'boolean' } }, required: ['a'] }, lines('{', '  a: boolean;', '}'));
    });

    it('starts at the indent it is given', () => {
      assert.equal(
        schemaToType({ type: 'object', properties: { a: { type: 'string' } } }, { indent: '    ' }),
        lines('{', '      a?: string;', '    }'),
      );
    });
  });

  describe('arrays', () => {
    it('types items', () => {
      expectType({ type: 'array', items: { type: 'string' } }, 'string[]');
      expectType({ type: 'array' }, 'unknown[]');
      expectType({ type: 'array', items: { type: ['string', 'null'] } }, '(string | null)[]');
      expectType({ type: 'array', items: { type: 'array', items: { type: 'number' } } }, 'number[][]');
    });

    it('types prefixItems as a tuple: optional past minItems, open unless closed', () => {
      const pair = [{ type: 'number' }, { type: 'string' }];
      expectType({ type: 'array', prefixItems: pair, minItems: 2, maxItems: 2 }, '[number, string]');
      expectType({ type: 'array', prefixItems: pair, minItems: 1, items: false }, '[number, string?]');
      expectType({ type: 'array', prefixItems: pair, items: { type: 'boolean' } }, '[number?, string?, ...boolean[]]');
      expectType({ type: 'array', prefixItems: [{ type: ['string', 'null'] }] }, '[(string | null)?, ...unknown[]]');
    });

    it('types draft-07 array-form items with additionalItems', () => {
      expectType(
        { type: 'array', items: [{ type: 'number' }, { type: 'number' }], minItems: 2, additionalItems: false },
        '[number, number]',
      );
    });
  });

  describe('composition', () => {
    it('turns oneOf and anyOf into unions', () => {
      expectType({ oneOf: [{ type: 'string' }, { type: 'number' }] }, 'string | number');
      expectType({ anyOf: [{ type: 'string' }, { type: 'null' }, { type: 'string' }] }, 'string | null');
    });

    it('turns allOf into an intersection, with unions in parentheses', () => {
      const a = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
      const b = { type: 'object', properties: { b: { type: 'number' } }, required: ['b'] };
      expectType({ allOf: [a, b] }, lines('{', '  a: string;', '} & {', '  b: number;', '}'));
      expectType({ allOf: [a, { anyOf: [b, { type: 'null' }] }] }, lines('{', '  a: string;', '} & ({', '  b: number;', '} | null)'));
    });

    it('intersects a typed schema with its oneOf, dropping members that say nothing', () => {
      const schema = {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string' } },
        oneOf: [{ required: ['id'] }, { required: ['name'] }],
      };
      expectType(schema, lines('{', '  id?: string;', '  name?: string;', '}'));
    });

    it('lets unknown absorb a union and never vanish from one', () => {
      expectType({ anyOf: [{ type: 'string' }, {}] }, 'unknown');
      expectType({ anyOf: [{ type: 'string' }, false] }, 'string');
      expectType({ allOf: [{ type: 'string' }, false] }, 'never');
    });
  });

  describe('$ref', () => {
    it('inlines local definitions', () => {
      const schema = {
        type: 'object',
        properties: { a: { $ref: '#/$defs/Name' }, b: { $ref: '#/definitions/Count' } },
        $defs: { Name: { type: 'string' } },
        definitions: { Count: { type: 'integer' } },
      };
      expectType(schema, lines('{', '  a?: string;', '  b?: number;', '}'));
    });

    it('gives unknown for a recursive ref when no names are given', () => {
      const schema = {
        $ref: '#/$defs/Node',
        $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
      };
      expectType(schema, lines('{', '  children?: unknown[];', '}'));
    });

    it('uses the names the caller resolves, inlines on undefined and cuts on null', () => {
      const schema = { anyOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }, { $ref: '#/$defs/C' }], $defs: { B: { type: 'string' } } };
      const names: { [ref: string]: string | null | undefined } = { '#/$defs/A': 'A', '#/$defs/B': undefined, '#/$defs/C': null };
      assert.equal(schemaToType(schema, { resolveRef: (ref) => names[ref] }), 'unknown');
      schema.anyOf.pop();
      assert.equal(schemaToType(schema, { resolveRef: (ref) => names[ref] }), 'A | string');
    });

    it('reports the aliases TypeScript would resolve eagerly, where a self-reference is an error', () => {
      const refs = (schema: unknown) => convertSchema(schema, { resolveRef: (ref) => ref.slice(8) }).eagerRefs;
      const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
      // Eager: union and intersection members.
      assert.deepEqual(refs({ anyOf: [ref('A'), { allOf: [ref('B'), ref('A')] }] }), ['A', 'B']);
      // Deferred: object members, and arrays or tuples whose element refers to an alias.
      assert.deepEqual(refs({ type: 'object', properties: { a: ref('A') }, additionalProperties: ref('B') }), []);
      assert.deepEqual(refs({ type: 'array', items: { anyOf: [ref('A'), { type: 'null' }] } }), []);
      assert.deepEqual(refs({ type: 'array', prefixItems: [{ type: 'string' }, ref('A')], minItems: 2 }), []);
      // Not deferred: an array whose element is another array; anything under an optional or rest element.
      assert.deepEqual(refs({ type: 'array', items: { type: 'array', items: ref('A') } }), []); // inner array defers
      assert.deepEqual(refs({ type: 'array', prefixItems: [{ type: 'array', items: ref('A') }] }), ['A']);
      assert.deepEqual(refs({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'array', items: ref('B') } }), ['B']);
    });

    it('gives unknown for refs it cannot resolve', () => {
      expectType({ $ref: '#/$defs/Missing' }, 'unknown');
      expectType({ $ref: 'https://example.com/schema.json' }, 'unknown');
      expectType({ $ref: '#anchor' }, 'unknown');
      expectType({ $ref: '#/$defs/%E0%A4%A' }, 'unknown');
    });
  });

  describe('odd input', () => {
    it('maps boolean and empty schemas', () => {
      expectType(true, 'unknown');
      expectType(false, 'never');
      expectType({}, 'unknown');
    });

    it('gives unknown for values that are not schemas', () => {
      for (const value of [undefined, null, 42, 'string', [], [{ type: 'string' }]]) {
        expectType(value, 'unknown');
      }
    });

    it('stops at depth 32', () => {
      let schema: object = { type: 'string' };
      for (let i = 0; i < 100; i++) {
        schema = { type: 'array', items: schema };
      }
      assert.equal(schemaToType(schema), `unknown${'[]'.repeat(33)}`);
    });

    it('cuts cycles in the object graph', () => {
      const node: { type: string; properties: { [key: string]: unknown } } = { type: 'object', properties: {} };
      node.properties.next = node;
      expectType(node, lines('{', '  next?: unknown;', '}'));
    });

    it('does not read keywords from the prototype', () => {
      expectType(Object.create({ type: 'string' }), 'unknown');
      expectType({ type: 'object', properties: {}, required: ['constructor'] }, lines('{', '  constructor: unknown;', '}'));
    });
  });
});

describe('docComment', () => {
  it('writes one line as /** … */ and more as a block', () => {
    assert.deepEqual(docComment('One line.', '  '), ['  /** One line. */']);
    assert.deepEqual(docComment('\nFirst.\n\n  Indented.  \n\n', ''), ['/**', ' * First.', ' *', ' *   Indented.', ' */']);
  });

  it('escapes */ so the comment cannot end early', () => {
    assert.deepEqual(docComment('a */ b', ''), ['/** a *\\/ b */']);
  });

  it('writes nothing for an empty text', () => {
    assert.deepEqual(docComment(' \n ', ''), []);
  });
});

describe('resolvePointer', () => {
  it('follows escaped and percent-encoded tokens', () => {
    const root = { $defs: { 'a/b': 1, 'c~d': 2, 'e f': 3 }, list: ['x', 'y'] };
    assert.equal(resolvePointer(root, '#'), root);
    assert.equal(resolvePointer(root, '#/$defs/a~1b'), 1);
    assert.equal(resolvePointer(root, '#/$defs/c~0d'), 2);
    assert.equal(resolvePointer(root, '#/$defs/e%20f'), 3);
    assert.equal(resolvePointer(root, '#/list/1'), 'y');
    assert.equal(resolvePointer(root, '#/list/01'), undefined);
    assert.equal(resolvePointer(root, '#/$defs/constructor'), undefined);
  });
});
