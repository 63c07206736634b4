/**
 * Checks an installer's values against a release's declaration, the same way on install, on every
 * PATCH and on upgrade (and in the testing kit): every declared field ends up with a value (given,
 * or its default), a value with options must be one of them, and nothing undeclared slips in.
 * Each problem names its field, e.g. `configuration.REGION: must be one of eu, us`.
 */
import { ValidationError } from '../errors.ts';
import type { FieldDeclaration } from '../model/integrations.ts';

export interface Declaration {
  secrets: readonly FieldDeclaration[];
  configuration: readonly FieldDeclaration[];
}

export interface FieldValues {
  secrets: Record<string, string>;
  configuration: Record<string, string>;
}

function checkKind(
  kind: 'secrets' | 'configuration',
  declared: readonly FieldDeclaration[],
  given: Record<string, string>,
  problems: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(given)) {
    if (!declared.some((f) => f.name === name)) {
      const known = declared.map((f) => f.name).join(', ') || 'none';
      problems.push(`${kind}.${name}: not declared by this integration (declared: ${known})`);
    }
  }
  for (const field of declared) {
    const value = given[field.name] ?? field.default_value;
    if (value === undefined || value === '') {
      problems.push(`${kind}.${field.name}: required (${field.label})`);
      continue;
    }
    if (field.options && !field.options.some((o) => o.value === value)) {
      problems.push(`${kind}.${field.name}: must be one of ${field.options.map((o) => o.value).join(', ')}`);
      continue;
    }
    out[field.name] = value;
  }
  return out;
}

/** The complete values (defaults applied), or a 400 listing every field that is wrong. */
export function checkValues(declaration: Declaration, given: Partial<FieldValues>): FieldValues {
  const problems: string[] = [];
  const secrets = checkKind('secrets', declaration.secrets, given.secrets ?? {}, problems);
  const configuration = checkKind(
    'configuration',
    declaration.configuration,
    given.configuration ?? {},
    problems,
  );
  if (problems.length > 0) throw new ValidationError(`Invalid integration values: ${problems.join('; ')}`);
  return { secrets, configuration };
}

/** Values already held that the declaration still knows: an upgrade drops fields a release removed. */
export function keepDeclared(declared: readonly FieldDeclaration[], held: Record<string, string>) {
  return Object.fromEntries(Object.entries(held).filter(([name]) => declared.some((f) => f.name === name)));
}
