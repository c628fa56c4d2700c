import type * as TypeScript from 'typescript';

export type TypeScriptModule = typeof TypeScript;

let loaded: TypeScriptModule | undefined;

/**
 * The TypeScript compiler, required on the first check rather than at start-up: it is several megabytes of
 * JavaScript that only the check needs. The bundles leave it external (esbuild.mjs); the VSIX ships it.
 */
export function loadTypeScript(): TypeScriptModule {
  loaded ??= require('typescript') as TypeScriptModule;
  return loaded;
}
