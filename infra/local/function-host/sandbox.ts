/**
 * What confines a function's process locally, besides its own environment (environment.ts):
 * Node's permission model (read only its code, write only its temp dir, no child processes,
 * workers, addons, WASI or inspector), a V8 heap cap at its memory size, and what the worker
 * watches through /proc (process-stat.ts): resident memory the heap cap does not see (Buffers,
 * ArrayBuffers, native memory) and CPU used while no invocation runs.
 */
/** `--permission` is stable from Node 22.13 / 23.5; older releases (Node 20) spell it experimental. */
export function permissionFlag(version: string = process.versions.node): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const stable = major >= 24 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  return stable ? '--permission' : '--experimental-permission';
}

export interface SandboxPaths {
  /** The function's unpacked code (LAMBDA_TASK_ROOT). */
  codeDir: string;
  /** The bootstrap the process runs. */
  bootstrap: string;
  /** The instance's own temp dir (TMPDIR), like Lambda's /tmp. */
  tmpDir: string;
}

/** The child's whole execArgv: explicit, so the host's own flags (tsx loaders, inspector) never reach it. */
export function sandboxFlags(paths: SandboxPaths, memoryMb: number): string[] {
  return [
    permissionFlag(),
    `--allow-fs-read=${paths.bootstrap}`,
    `--allow-fs-read=${paths.codeDir}`,
    `--allow-fs-read=${paths.tmpDir}`,
    `--allow-fs-write=${paths.tmpDir}`,
    // The permission model announces itself on every start; keep that out of function logs.
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${memoryMb}`,
  ];
}

/**
 * Resident memory beyond which a process is killed as out of memory. The V8 heap alone may use the
 * whole memory size, so the margin covers the runtime itself (code, stacks, young generation).
 */
export function residentLimitBytes(memoryMb: number): number {
  return (memoryMb + 256) * 1024 * 1024;
}
