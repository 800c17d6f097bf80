/**
 * The lambda project's users, a pure function of their number: the `id` a device message carries and the
 * `user_metadata` row lambda-provision writes for it. Both sides are computed here, so a message's user id always
 * finds its metadata when the provisioner was given at least as many users as the generator.
 */
import type { Row } from '../../core/row.js';
import type { Schema } from '../../core/schema.js';

/** The first names of the original project's provisioner (its JdbcProvisioner inserted these twenty users). */
export const USER_NAMES = [
  'andres',
  'paco',
  'juan',
  'fede',
  'gorka',
  'luis',
  'eric',
  'carlos',
  'david',
  'juanchu',
  'charo',
  'delicidas',
  'milagros',
  'antonio',
  'sergio',
  'maria',
  'cristina',
  'lucia',
  'carlota',
  'emilio',
] as const;

/**
 * Hourly quotas in bytes, user n taking QUOTAS[(n - 1) % 4]. At the devices source's defaults (10 messages a second,
 * 20 users, about 67 kB a message) a user sends about 120 MB an hour, so roughly half of the users pass their quota
 * and `user_quota_limit` has something to show.
 */
export const QUOTAS = [60_000_000, 100_000_000, 150_000_000, 250_000_000] as const;

export const USER_METADATA_SCHEMA: Schema = [
  { name: 'id', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'email', type: 'string' },
  { name: 'quota', type: 'long' },
];

const pad12 = (n: number) => String(n).padStart(12, '0');

/** User n (from 1) as a UUID, as in the original: 00000000-0000-0000-0000-000000000001. */
export const userId = (n: number) => `00000000-0000-0000-0000-${pad12(n)}`;

/** Antenna n (from 1) as a UUID of its own range, so an antenna id is never taken for a user id. */
export const antennaId = (n: number) => `550e8400-1234-1234-a716-${pad12(n)}`;

/** The user_metadata row of user n: the original's names first, then name + number; quota by QUOTAS. */
export function userMetadata(n: number): Row {
  const base = USER_NAMES[(n - 1) % USER_NAMES.length];
  const name = n <= USER_NAMES.length ? base : `${base}${n}`;
  return { id: userId(n), name, email: `${name}@example.com`, quota: QUOTAS[(n - 1) % QUOTAS.length] };
}
