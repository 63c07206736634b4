/**
 * The TypeScript declarations an action's editor loads: Hookchain's shipped `hookchain/types`
 * (all files under one virtual package, since they import each other), the Node globals an
 * action can use, and the trigger's own names (`Event`, `PostLoginAPI`, ...) as globals, so
 * Auth0's JSDoc templates (`@param {PostLoginAPI} api`) type-check unchanged.
 */

export interface ExtraLib {
  /** A virtual file path inside the editor's TypeScript project. */
  filePath: string;
  content: string;
}

const TYPES_DIR = 'file:///node_modules/hookchain/types';

/** `{ 'post-login.d.ts': '...', ... }` → the files of the virtual `hookchain` package. */
export function packageLibs(declarations: Record<string, string>): ExtraLib[] {
  return Object.entries(declarations).map(([fileName, content]) => ({
    filePath: `${TYPES_DIR}/${fileName}`,
    content,
  }));
}

/** Globals of the Node.js runtime an action runs on, as far as action code meets them. */
export const RUNTIME_GLOBALS: ExtraLib = {
  filePath: 'file:///hookchain/runtime-globals.d.ts',
  content: `/** Loads a dependency declared on the action, or a Node.js built-in module. */
declare function require(id: string): any;
declare var module: { exports: any };
declare var exports: any;
declare var process: { env: Record<string, string | undefined>; version: string };
declare var Buffer: any;
declare var console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  trace(...data: unknown[]): void;
};
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function clearTimeout(handle: any): void;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function clearInterval(handle: any): void;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): any;
declare function structuredClone<T>(value: T): T;
declare function fetch(input: string | URL, init?: any): Promise<any>;
declare class URL { constructor(url: string, base?: string | URL); href: string; origin: string; protocol: string; host: string; hostname: string; port: string; pathname: string; search: string; hash: string; searchParams: URLSearchParams; toString(): string; }
declare class URLSearchParams { constructor(init?: string | Record<string, string>); get(name: string): string | null; set(name: string, value: string): void; append(name: string, value: string): void; has(name: string): boolean; toString(): string; }
declare class TextEncoder { encode(input?: string): Uint8Array; }
declare class TextDecoder { constructor(label?: string); decode(input?: Uint8Array): string; }
declare class AbortController { readonly signal: any; abort(reason?: unknown): void; }
`,
};

/** The trigger's names as globals: what Auth0's editor offers to JSDoc. */
export function triggerGlobals(triggerId: string, apiType: string): ExtraLib {
  const module = `import('hookchain/types/${triggerId}')`;
  return {
    filePath: 'file:///hookchain/trigger-globals.d.ts',
    content: [
      `/** The event of the ${triggerId} trigger. */`,
      `type Event = ${module}.Event;`,
      `/** The api of the ${triggerId} trigger. */`,
      `type ${apiType} = ${module}.${apiType};`,
      `/** The api of the ${triggerId} trigger. */`,
      `type API = ${module}.API;`,
      '',
    ].join('\n'),
  };
}

/** Node's built-in modules an action may require, with or without the `node:` prefix. */
export const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'punycode',
  'querystring',
  'readline',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'url',
  'util',
  'zlib',
] as const;

/**
 * The modules `require()` may load: Node's built-ins and the action's declared dependencies
 * (typed `any`, their own types are not fetched). Anything else is underlined, as it would fail
 * at run time: the package is not installed for this action.
 */
export function moduleDeclarations(dependencies: readonly string[]): ExtraLib {
  const names = [...NODE_BUILTINS, ...dependencies];
  return {
    filePath: 'file:///hookchain/modules.d.ts',
    content: [
      "declare module 'node:*';",
      ...names.flatMap((name) => [`declare module '${name}';`, `declare module '${name}/*';`]),
      '',
    ].join('\n'),
  };
}

/** The libs for an action of this trigger with these dependencies. */
export function actionLibs(
  declarations: Record<string, string>,
  trigger: { id: string; apiType: string },
  dependencies: readonly string[] = [],
): ExtraLib[] {
  return [
    ...packageLibs(declarations),
    RUNTIME_GLOBALS,
    triggerGlobals(trigger.id, trigger.apiType),
    moduleDeclarations(dependencies),
  ];
}
