import type { z } from 'zod';
import type { ComponentConfig, CheckContext } from './load-job.js';
import type { ComponentDefinition } from '../component/definition.js';
import { secretKeys } from '../component/secret.js';
import { registerSecret } from '../core/redact.js';
import { issueProblems, withoutUnknownKeys } from './issue-problems.js';
import type { PathSegment, YamlFile } from './yaml-file.js';

/**
 * A component's options checked by its schema, each problem placed in the file it comes from (`profileFor` names the
 * profile an option came from). Options whose only problems are unknown keys are returned too, without those keys:
 * their problems are reported all the same, and what follows the component is still checked against its columns.
 */
export function validateOptions<D extends ComponentDefinition>(
  definition: D,
  value: unknown,
  path: PathSegment[],
  yaml: YamlFile,
  ctx: CheckContext,
  profileFor: ((issuePath: PathSegment[]) => YamlFile | undefined) | undefined,
): ComponentConfig<D> | undefined {
  const schema = ctx.partial ? (definition.options as unknown as z.ZodObject).partial() : (definition.options as z.ZodType);
  const given = secretsAsText(definition, value);
  let result = schema.safeParse(given);
  if (!result.success) {
    for (const issue of result.error.issues) {
      ctx.problems.push(
        ...issueProblems(
          issue,
          path,
          (p, m) => {
            const inProfile = profileFor?.(p.slice(path.length));
            return inProfile ? inProfile.problem(p.slice(path.length), m) : ctx.located(p, m);
          },
          optionKeys(definition.options),
        ),
      );
    }
    const known = withoutUnknownKeys(given, result.error.issues);
    if (known === undefined) return undefined;
    result = schema.safeParse(known);
    if (!result.success) return undefined;
  }
  for (const key of secretKeys(definition.options)) registerSecret((result.data as Record<string, unknown>)[key]);
  return { definition, options: result.data, yaml, path };
}

/**
 * A secret is text even when written as a number (`password: 12345`, `token: ${TOKEN}` with TOKEN=42): such a value
 * is taken as the text it was written as, which YAML and `${VAR}` keep exact (a number that would not read back as
 * the same text, like 0042, stays text).
 */
export function secretsAsText(definition: ComponentDefinition, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of secretKeys(definition.options)) {
    if (typeof out[key] === 'number' || typeof out[key] === 'boolean') out[key] = String(out[key]);
  }
  return out;
}

function optionKeys(options: z.ZodType): string[] {
  return Object.keys((options as unknown as { shape?: object }).shape ?? {});
}
