import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { GeneratorSource } from '../../core/generator-source.js';
import type { Row } from '../../core/row.js';
import { USER_METADATA_SCHEMA, userMetadata } from './users.js';

const options = z.strictObject({
  users: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(20)
    .describe('How many users: rows for users 1..users, the ids the devices source sends with the same number.'),
});

/** user_metadata rows for users [from, to) (0-based offsets, user numbers from 1). */
const usersRows = (from: number, to: number): Row[] => Array.from({ length: to - from }, (_, i) => userMetadata(from + i + 1));

export const deviceUsersSource = defineSource({
  type: 'device-users',
  offsetIdentity: () => ({}),
  summary:
    "The lambda project's user_metadata rows (id, name, email, quota) for the users the devices source sends: bounded, one row per user, the original's names first.",
  options,
  examples: [{}, { users: 100 }],
  create: (o) => new GeneratorSource(`DeviceUsers(users=${o.users})`, USER_METADATA_SCHEMA, usersRows, { kind: 'all', rows: o.users }),
});
