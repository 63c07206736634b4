/**
 * Auth0 Deploy CLI keyword replacement: `##KEY##` becomes the value as text, `@@KEY@@` (quoted or
 * not) becomes the value as JSON. Values come from AUTH0_KEYWORD_REPLACE_MAPPINGS (a JSON object
 * in the environment), then from an environment variable named KEY, then from the mappings of a
 * Deploy CLI config file. A keyword with no value is left as written and reported, as the Deploy
 * CLI leaves it; push then decides whether that matters (see secrets in read.ts).
 */
import { UsageError } from '../errors.ts';

export type KeywordValue =
  | string
  | number
  | boolean
  | null
  | KeywordValue[]
  | { [key: string]: KeywordValue };
export type KeywordMappings = Record<string, KeywordValue>;

export interface KeywordSources {
  env: NodeJS.ProcessEnv;
  /** From the Deploy CLI config file, if any. */
  fileMappings?: KeywordMappings;
}

const STRING_KEYWORD = /##([A-Za-z0-9_.-]+)##/g;
const JSON_KEYWORD = /"@@([A-Za-z0-9_.-]+)@@"|@@([A-Za-z0-9_.-]+)@@/g;

/** Looks keys up lazily, so only keywords that files use are read from the environment. */
export class KeywordResolver {
  private readonly envMappings: KeywordMappings;
  /** Keywords seen without a value, for warnings. */
  readonly missing = new Set<string>();

  constructor(private readonly sources: KeywordSources) {
    const raw = sources.env.AUTH0_KEYWORD_REPLACE_MAPPINGS;
    this.envMappings = raw ? parseMappings(raw, 'AUTH0_KEYWORD_REPLACE_MAPPINGS') : {};
  }

  lookup(key: string, asJson: boolean): KeywordValue | undefined {
    if (Object.hasOwn(this.envMappings, key)) return this.envMappings[key];
    const fromEnv = this.sources.env[key];
    if (fromEnv !== undefined) {
      if (!asJson) return fromEnv;
      try {
        return JSON.parse(fromEnv) as KeywordValue;
      } catch {
        return fromEnv;
      }
    }
    const fromFile = this.sources.fileMappings;
    if (fromFile && Object.hasOwn(fromFile, key)) return fromFile[key];
    return undefined;
  }

  /** Replaces keywords in a file's text. JSON keywords first, as the Deploy CLI does. */
  replace(text: string): string {
    const withJson = text.replace(
      JSON_KEYWORD,
      (match, quoted: string | undefined, bare: string | undefined) => {
        const key = (quoted ?? bare) as string;
        const value = this.lookup(key, true);
        if (value === undefined) {
          this.missing.add(key);
          return match;
        }
        return JSON.stringify(value);
      },
    );
    return withJson.replace(STRING_KEYWORD, (match, key: string) => {
      const value = this.lookup(key, false);
      if (value === undefined) {
        this.missing.add(key);
        return match;
      }
      return typeof value === 'string'
        ? value
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    });
  }
}

/** The `##KEY##` keywords still present in a value (none were resolvable). */
export function unresolvedKeywords(value: string): string[] {
  return [...value.matchAll(STRING_KEYWORD)].map((m) => m[1] as string);
}

export function parseMappings(raw: string, where: string): KeywordMappings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(
      `${where} is not valid JSON: ${(error as Error).message}`,
      'It must be a JSON object such as {"NAMESPACE":"https://acme.test/"}.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${where} must be a JSON object of keyword values.`);
  }
  return parsed as KeywordMappings;
}
