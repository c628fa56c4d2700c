import { RE2JS } from 're2js';

/** What Ajv needs of a regular expression; it caches them by `toString()`, so that must tell patterns apart. */
export interface PatternMatcher {
  test(input: string): boolean;
  toString(): string;
}

/**
 * The regular expressions of servers' schemas (`pattern`, `patternProperties`, `propertyNames`), for Ajv's
 * `code.regExp`: RE2 semantics, linear in the input, so `^(a+)+$` against "aaa…b" cannot backtrack exponentially.
 * Lookarounds and backreferences have no linear form; such a pattern uses JavaScript's RegExp, and the worker's
 * time budget bounds it.
 */
export function linearRegExp(pattern: string, flags: string): PatternMatcher {
  try {
    const compiled = RE2JS.compile(RE2JS.translateRegExp(pattern), flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
    return { test: (input: string) => compiled.test(input), toString: () => `re2:/${pattern}/${flags}` };
  } catch {
    return new RegExp(pattern, flags);
  }
}
linearRegExp.code = 'linearRegExp';
