/** Deployment packages for function-host tests: file name -> source, zipped in memory. */
import { strToU8, zipSync } from 'fflate';

export function zipFiles(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, source]) => [name, strToU8(source)])));
}

/** A CommonJS `index.js` exporting `handler` with the given body: `async (event, context) => { <body> }`. */
export function handlerZip(body: string): Uint8Array {
  return zipFiles({ 'index.js': `exports.handler = async (event, context) => {\n${body}\n};\n` });
}

export const TEST_ROLE = 'arn:aws:iam::123456789012:role/hookchain-test';

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
