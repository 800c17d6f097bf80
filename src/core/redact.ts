/**
 * Secrets never leave the process in clear: logs, error messages, progress and `explain` pass through `redact()`.
 * Three kinds of text are replaced by `***`:
 * - the values of options marked `secret()` (registered while loading configuration), and the forms a driver or a
 *   server may echo them in (base64, URL-encoded); matching values, not field names, also catches a password echoed
 *   back inside a driver's error message;
 * - the password of a URL with user info (`http://admin:***@host`), wherever a URL is printed;
 * - the credentials of an `Authorization:` header that a server echoed into its error body.
 */
const secrets = new Set<string>();

export const REDACTED = '***';

export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) return;
  secrets.add(value);
  for (const form of encodedForms(value)) if (form !== value) secrets.add(form);
}

/** How a secret may come back from a server or a driver other than as itself. */
function encodedForms(value: string): string[] {
  return [Buffer.from(value).toString('base64'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
}

const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi;
const AUTHORIZATION = /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(basic|bearer|token|digest)\s+)?[^\s"',;]+/gi;

export function redact(text: string): string {
  let out = text.replace(URL_USER_INFO, `$1:${REDACTED}@`).replace(AUTHORIZATION, (_m, header: string, scheme?: string) => {
    return `${header}${scheme ? `${scheme} ` : ''}${REDACTED}`;
  });
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = replaceWhole(out, secret);
  return out;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * Replaces `secret` where it stands as a whole value: not where it is only a piece of a longer word, so that a
 * one-character password does not mangle every line. A secret that begins or ends with a word character needs a
 * non-word character (or the end of the text) on that side.
 */
function replaceWhole(text: string, secret: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (at < from) continue;
    const end = at + secret.length;
    const startsWord = isWordChar(secret[0]) && isWordChar(text[at - 1]);
    const endsWord = isWordChar(secret[secret.length - 1]) && isWordChar(text[end]);
    if (startsWord || endsWord) continue;
    out += text.slice(from, at) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}
