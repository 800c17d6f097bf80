/**
 * Timestamps from text, strictly: ISO 8601 (`2024-02-29`, `2024-02-29T10:15`, `2024-02-29 10:15:30.250Z`,
 * `...+02:00`) or epoch milliseconds as digits. `Date.parse` alone is not enough: it turns `2024-02-30` into
 * March 1st and accepts free text such as `March 7`. Zone rules are Date.parse's (date only: UTC; date and time
 * without an offset: the process's local time zone).
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH_MS = /^-?\d+$/;

/** Epoch milliseconds, or undefined when the text is not a real time in one of the accepted forms. */
export function parseTimestamp(text: string): number | undefined {
  const utc = isoUtcMillis(text);
  if (utc !== undefined) return utc;
  const trimmed = text.trim();
  if (EPOCH_MS.test(trimmed)) {
    const ms = Number(trimmed);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  const m = ISO.exec(trimmed);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  if (!validDate(Number(year), Number(month), Number(day))) return undefined;
  if (hour === undefined) return Date.parse(`${year}-${month}-${day}`);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
  if (zone && !/^z$/i.test(zone) && !validOffset(zone)) return undefined;
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const offset = zone === undefined ? '' : /^z$/i.test(zone) ? 'Z' : normalOffset(zone);
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}.${millis}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The commonest form, `2026-12-01T07:00:00.123Z` (toISOString's, what most JSON carries), from its digits: the
 * regex and Date.parse below cost a file source a quarter of its time. Anything else, or anything it doubts (years
 * before 100, which Date.UTC would move to the 1900s), is left to them: undefined.
 */
function isoUtcMillis(text: string): number | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */) return undefined;
  for (const [at, code] of SEPARATORS) if (text.charCodeAt(at) !== code) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || ms < 0) return undefined;
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Positions and char codes of `-`, `-`, `T`, `:`, `:`, `.` in `2026-12-01T07:00:00.123Z`. */
const SEPARATORS = [
  [4, 45],
  [7, 45],
  [10, 84],
  [13, 58],
  [16, 58],
  [19, 46],
] as const;

/** The number written by `length` ASCII digits at `from`, or -1 when one is not a digit. */
function digits(text: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= daysInMonth;
}

function validOffset(zone: string): boolean {
  const digits = zone.slice(1).replace(':', '');
  return Number(digits.slice(0, 2)) <= 23 && Number(digits.slice(2) || '0') <= 59;
}

/** `+0200` and `+02` -> `+02:00`, the form Date.parse takes. */
function normalOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2) || '00'}`;
}
