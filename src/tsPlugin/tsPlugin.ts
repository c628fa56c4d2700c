// A TypeScript server plugin for Code Mode scripts. A script is the body of an async function, so a top-level
// `return` is how it gives its result; tsserver reports that as TS1108, and the editor would underline the very line
// the guide tells users to write. The plugin drops exactly that diagnostic, and only in projects whose tsconfig.json
// names it: the one Code Mode writes beside the API. Every other project gets its language service untouched.
import type * as ts from 'typescript/lib/tsserverlibrary';

/** "A 'return' statement can only be used within a function body." */
const topLevelReturn = 1108;

function create(info: ts.server.PluginCreateInfo): ts.LanguageService {
  const service = info.languageService;
  // Loaded for every project (VS Code passes contributed plugins to tsserver as global ones); named in tsconfig.json
  // only by ours, where tsserver then skips the global instance.
  const named = info.project.getCompilerOptions().plugins as ts.PluginImport[] | undefined;
  if (!named?.some((plugin) => plugin.name === info.config.name)) {
    return service;
  }
  const keep = <T extends ts.Diagnostic>(diagnostics: T[]): T[] => diagnostics.filter((diagnostic) => diagnostic.code !== topLevelReturn);
  return {
    ...service,
    getSyntacticDiagnostics: (fileName) => keep(service.getSyntacticDiagnostics(fileName)),
    getSemanticDiagnostics: (fileName) => keep(service.getSemanticDiagnostics(fileName)),
  };
}

// tsserver requires the module itself to be the factory.
module.exports = (() => ({ create })) satisfies ts.server.PluginModuleFactory;
