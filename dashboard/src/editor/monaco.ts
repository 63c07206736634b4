/**
 * Monaco, set up once for action code: JavaScript checked as TypeScript (`checkJs`) against the
 * shipped declarations, with Node's module resolution so `import('hookchain/types/...')` and
 * the trigger globals resolve. Loaded lazily: only the editor pages pay for it.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import { actionLibs } from './action-types.ts';

// Vite bundles each worker as its own module file (served from our origin, as the CSP wants).
self.MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) =>
    label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker(),
};

const declarationFiles = import.meta.glob<string>('../../../shared/types/*.d.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** `{ 'post-login.d.ts': text }` from the glob's relative paths. */
const DECLARATIONS: Record<string, string> = Object.fromEntries(
  Object.entries(declarationFiles).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);

const js = monaco.typescript.javascriptDefaults;
js.setCompilerOptions({
  allowJs: true,
  checkJs: true,
  target: monaco.typescript.ScriptTarget.ESNext,
  module: monaco.typescript.ModuleKind.CommonJS,
  moduleResolution: monaco.typescript.ModuleResolutionKind.NodeJs,
  lib: ['es2023'],
  allowNonTsExtensions: true,
  noEmit: true,
  strict: false,
});
js.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
// Send edits to the worker at once, so type errors are underlined while the user types.
js.setEagerModelSync(true);

let current: string | undefined;

/** Points the JavaScript language service at one trigger's declarations and one action's dependencies. */
export function useActionTypes(
  trigger: { id: string; apiType: string },
  dependencies: readonly string[],
): void {
  const key = JSON.stringify([trigger.id, dependencies]);
  if (current === key) return;
  current = key;
  js.setExtraLibs(actionLibs(DECLARATIONS, trigger, dependencies));
}

export { monaco };
