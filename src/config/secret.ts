import { z } from 'zod';

/**
 * Marks a string option as a secret (passwords, tokens). The config loader collects every value behind such a
 * field, and the redactor replaces it with `***` in logs, errors, progress and `explain`.
 */
export function secret(description: string) {
  return z.string().meta({ secret: true, description });
}

export function isSecretSchema(schema: z.ZodType): boolean {
  return Boolean((schema.meta?.() as { secret?: boolean } | undefined)?.secret);
}
