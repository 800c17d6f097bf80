/**
 * Secret values seen while loading configuration (fields marked `secret()`), replaced by `***` wherever text
 * leaves the process: logs, error messages, progress, `explain`. Matching the values themselves, not field names,
 * also catches a password echoed back inside a driver's error message.
 */
const secrets = new Set<string>();

export const REDACTED = '***';

export function registerSecret(value: unknown): void {
  if (typeof value === 'string' && value.length > 0) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}
