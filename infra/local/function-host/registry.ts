/**
 * The function store, on disk so functions survive a restart:
 *   <dir>/<name>/config.json       the FunctionConfiguration (written last: it marks a complete function)
 *   <dir>/<name>/code.zip          the deployment package as uploaded
 *   <dir>/<name>/code/<revision>/  the unpacked package the workers run
 * Each code or configuration change gets a new RevisionId; workers of an older revision are retired.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { AwsApiError } from '../aws-error.ts';
import { type CodePackage, readCodePackage, unpack } from './code-package.ts';
import {
  type CreateFunctionInput,
  type FunctionConfiguration,
  functionArn,
  invalidParameter,
  LIMITS,
  lambdaTimestamp,
  logGroupOf,
  notFound,
  type UpdateConfigurationInput,
  validateName,
  validateSettings,
} from './function-config.ts';

const MODULE_BOUNDARY = {
  description: 'Function code below follows Lambda module rules, not those of an enclosing project.',
  private: true,
  type: 'commonjs',
};

export interface FunctionRecord {
  configuration: FunctionConfiguration;
  /** The unpacked code of the current revision. */
  codeDir: string;
}

export class FunctionRegistry {
  private readonly functions = new Map<string, FunctionRecord>();
  /** Mutations of one function run one at a time (a create racing a delete must not interleave). */
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly dir: string,
    private readonly codeStorageBytes: number,
  ) {}

  /** `codeStorageBytes`: the account's code storage quota (Lambda's 75 GB unless a test lowers it). */
  static async open(
    dir: string,
    codeStorageBytes: number = LIMITS.codeStorageBytes,
  ): Promise<FunctionRegistry> {
    const registry = new FunctionRegistry(dir, codeStorageBytes);
    await mkdir(dir, { recursive: true });
    // Node decides whether a .js file is CommonJS from the nearest package.json. On Lambda there is
    // none above /var/task; here the state dir may sit inside an ESM project (this repository is
    // one), so a neutral package.json marks the boundary. A package's own package.json still wins.
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(MODULE_BOUNDARY, null, 2)}\n`);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await registry.load(entry.name);
    }
    return registry;
  }

  get(name: string): FunctionRecord | undefined {
    return this.functions.get(name);
  }

  require(name: string): FunctionRecord {
    const record = this.functions.get(name);
    if (!record) throw notFound(name);
    return record;
  }

  list(): FunctionRecord[] {
    return [...this.functions.values()].sort((a, b) =>
      a.configuration.FunctionName.localeCompare(b.configuration.FunctionName),
    );
  }

  /** The code storage in use: every function's package (Lambda also counts versions and layers). */
  totalCodeSize(): number {
    let total = 0;
    for (const record of this.functions.values()) total += record.configuration.CodeSize;
    return total;
  }

  /** Lambda refuses a package that would take the account past its code storage. */
  private checkCodeStorage(replacing: number, adding: number): void {
    if (this.totalCodeSize() - replacing + adding > this.codeStorageBytes) {
      throw new AwsApiError('CodeStorageExceededException', 400, 'Code storage limit exceeded.');
    }
  }

  /** The zip as uploaded, for GetFunction's Code.Location. */
  readZip(name: string): Promise<Buffer> {
    this.require(name);
    return readFile(join(this.dir, name, 'code.zip'));
  }

  create(input: CreateFunctionInput): Promise<FunctionRecord> {
    const name = input.FunctionName;
    validateName(name);
    return this.withLock(name, async () => {
      if (this.functions.has(name)) {
        throw new AwsApiError('ResourceConflictException', 409, `Function already exist: ${name}`);
      }
      if (input.PackageType !== undefined && input.PackageType !== 'Zip') {
        throw invalidParameter('The local function host runs Zip packages only.');
      }
      if (input.Runtime === undefined || input.Handler === undefined) {
        throw invalidParameter(
          'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
        );
      }
      validateSettings(input);
      const code = readCodePackage(input.Code.ZipFile);
      this.checkCodeStorage(0, code.zip.length);
      const configuration: FunctionConfiguration = {
        FunctionName: name,
        FunctionArn: functionArn(name),
        Runtime: input.Runtime,
        Role: input.Role,
        Handler: input.Handler,
        CodeSize: code.zip.length,
        CodeSha256: code.sha256,
        Description: input.Description ?? '',
        Timeout: input.Timeout ?? LIMITS.timeoutSeconds.default,
        MemorySize: input.MemorySize ?? LIMITS.memoryMb.default,
        LastModified: lambdaTimestamp(),
        Version: '$LATEST',
        Environment: { Variables: input.Environment?.Variables ?? {} },
        RevisionId: randomUUID(),
        State: 'Active',
        LastUpdateStatus: 'Successful',
        PackageType: 'Zip',
        Architectures: input.Architectures ?? ['x86_64'],
        EphemeralStorage: { Size: 512 },
        LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupOf(name) },
      };
      const home = join(this.dir, name);
      await rm(home, { recursive: true, force: true });
      await mkdir(home, { recursive: true });
      await writeFile(join(home, 'code.zip'), code.zip);
      return this.commit(configuration, code);
    });
  }

  updateCode(name: string, zipBase64: string | undefined, revisionId?: string): Promise<FunctionRecord> {
    return this.withLock(name, async () => {
      const current = this.require(name);
      checkRevision(current, revisionId);
      const code = readCodePackage(zipBase64);
      this.checkCodeStorage(current.configuration.CodeSize, code.zip.length);
      const configuration: FunctionConfiguration = {
        ...current.configuration,
        CodeSize: code.zip.length,
        CodeSha256: code.sha256,
        LastModified: lambdaTimestamp(),
        RevisionId: randomUUID(),
      };
      const home = join(this.dir, name);
      await writeFile(join(home, 'code.zip.tmp'), code.zip);
      const record = await this.commit(configuration, code);
      await rename(join(home, 'code.zip.tmp'), join(home, 'code.zip'));
      this.retireCodeDir(current);
      return record;
    });
  }

  updateConfiguration(name: string, input: UpdateConfigurationInput): Promise<FunctionRecord> {
    return this.withLock(name, async () => {
      const current = this.require(name);
      checkRevision(current, input.RevisionId);
      validateSettings(input);
      const { RevisionId: _ignored, Environment, ...settings } = input;
      const configuration: FunctionConfiguration = {
        ...current.configuration,
        ...Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)),
        ...(Environment ? { Environment: { Variables: Environment.Variables ?? {} } } : {}),
        LastModified: lambdaTimestamp(),
        RevisionId: randomUUID(),
      };
      // Same code, new revision: copy nothing, just point the new revision at the same files.
      const record = { configuration, codeDir: current.codeDir };
      await this.writeConfig(configuration, current.codeDir);
      this.functions.set(name, record);
      return record;
    });
  }

  delete(name: string): Promise<void> {
    return this.withLock(name, async () => {
      this.require(name);
      this.functions.delete(name);
      await rm(join(this.dir, name), { recursive: true, force: true });
    });
  }

  private async commit(configuration: FunctionConfiguration, code: CodePackage): Promise<FunctionRecord> {
    const codeDir = join(this.dir, configuration.FunctionName, 'code', configuration.RevisionId);
    await unpack(code, codeDir);
    await this.writeConfig(configuration, codeDir);
    const record = { configuration, codeDir };
    this.functions.set(configuration.FunctionName, record);
    return record;
  }

  private async writeConfig(configuration: FunctionConfiguration, codeDir: string): Promise<void> {
    const file = join(this.dir, configuration.FunctionName, 'config.json');
    const stored: StoredFunction = { configuration, codeRevision: codeDir.split(/[\\/]/).at(-1) as string };
    await writeFile(`${file}.tmp`, JSON.stringify(stored, null, 2));
    await rename(`${file}.tmp`, file);
  }

  /** Old code stays until in-flight invocations on it are surely over (they may run to Timeout). */
  private retireCodeDir(previous: FunctionRecord): void {
    const graceMs = (previous.configuration.Timeout + 10) * 1000;
    setTimeout(() => void rm(previous.codeDir, { recursive: true, force: true }), graceMs).unref();
  }

  private async load(name: string): Promise<void> {
    const home = join(this.dir, name);
    const configFile = join(home, 'config.json');
    if (!existsSync(configFile)) {
      // A create interrupted before its last step: nothing was ever acknowledged, drop the leftovers.
      await rm(home, { recursive: true, force: true });
      return;
    }
    const stored = JSON.parse(await readFile(configFile, 'utf8')) as StoredFunction;
    const codeRoot = join(home, 'code');
    const codeDir = join(codeRoot, stored.codeRevision);
    if (!existsSync(codeDir)) {
      const files = unzipSync(await readFile(join(home, 'code.zip')));
      const code = { zip: Buffer.alloc(0), sha256: '', files: new Map(Object.entries(files)) };
      await unpack(code, codeDir);
    }
    for (const revision of existsSync(codeRoot) ? await readdir(codeRoot) : []) {
      if (revision !== stored.codeRevision)
        await rm(join(codeRoot, revision), { recursive: true, force: true });
    }
    await rm(join(home, 'code.zip.tmp'), { force: true });
    this.functions.set(name, { configuration: stored.configuration, codeDir });
  }

  private withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => {});
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return next;
  }
}

interface StoredFunction {
  configuration: FunctionConfiguration;
  /** The directory name under code/ holding the unpacked package. */
  codeRevision: string;
}

function checkRevision(record: FunctionRecord, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== record.configuration.RevisionId) {
    throw new AwsApiError(
      'PreconditionFailedException',
      412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
}
