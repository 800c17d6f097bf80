import { z } from 'zod';

/**
 * Marks a string option as a secret (passwords, tokens). The config loader registers every value behind such a
 * field with the redactor, which replaces it with `***` in logs, errors, progress and `explain`.
 */
export function secret(description: string) {
  return z.string().meta({ secret: true, description });
}

function isSecret(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  // Look through optional/default wrappers to the marked string.
  for (let depth = 0; current && depth < 5; depth++) {
    if ((current.meta() as { secret?: boolean } | undefined)?.secret) return true;
    current = (current as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
  }
  return false;
}

/** Top-level option names of a component's schema that hold secrets. */
export function secretKeys(options: z.ZodType): string[] {
  const shape = (options as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => isSecret(field))
    .map(([key]) => key);
}
