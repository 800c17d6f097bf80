import { z } from 'zod';
import { defineSource } from '../../component/definition.js';
import { describePace, generatorPaceOptions, optionalTimestampOption, paceOf } from '../../component/generator-options.js';
import { durationOption } from '../../component/options.js';
import { DevicesSource } from './devices-source.js';

/** Time of the first message of a bounded run (`rows` alone) without `start`. */
export const DEVICES_BOUNDED_START = '2026-11-30T00:00:00Z';

const options = z.strictObject({
  ...generatorPaceOptions,
  users: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(20)
    .describe('Users whose devices send messages, ids 00000000-0000-0000-0000-000000000001 and on (see device-users for their metadata).'),
  antennas: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(5)
    .describe('Antennas relaying the messages, ids 550e8400-1234-1234-a716-000000000001 and on.'),
  messagesPerInterval: z.number().int().min(1).max(1_000_000).default(10).describe('Messages in each interval, spread evenly over it.'),
  interval: durationOption('Length of one interval of event time.', { default: '1s', positive: true }),
  start: optionalTimestampOption(
    `Event time of the first message, RFC 3339. Default: the time the job first started (kept in the checkpoint), or ${DEVICES_BOUNDED_START} with rows alone.`,
  ),
});

export const devicesSource = defineSource({
  type: 'devices',
  // rows and rowsPerSecond only say how many messages there are and when; the rest decides what message an offset is.
  offsetIdentity: (o) => ({
    users: o.users,
    antennas: o.antennas,
    messagesPerInterval: o.messagesPerInterval,
    interval: o.interval,
    start: o.start ?? null,
  }),
  summary:
    "The lambda project's antenna messages (timestamp, id of the user, antenna_id, app, bytes), each a pure function of its offset: replayable; bounded with `rows`, paced with rowsPerSecond, live (messagesPerInterval every interval) otherwise.",
  options,
  examples: [
    {},
    { users: 21, antennas: 5, messagesPerInterval: 20 },
    { rows: 7200, start: '2026-11-30T13:00:00Z', interval: '1s', messagesPerInterval: 1 },
    { rows: 100_000, rowsPerSecond: 1000 },
  ],
  create: (o) => {
    const config = { users: o.users, antennas: o.antennas, perInterval: o.messagesPerInterval, intervalMs: o.interval };
    const pace = paceOf(o, o.messagesPerInterval, o.interval);
    const start = o.start === undefined ? 'start=first run' : `start=${new Date(o.start).toISOString()}`;
    const description =
      `Devices(users=${o.users}, antennas=${o.antennas}, messagesPerInterval=${o.messagesPerInterval}, ` +
      `intervalMs=${o.interval}, ${start}, ${describePace(pace)})`;
    return new DevicesSource(description, config, pace, o.start, Date.parse(DEVICES_BOUNDED_START));
  },
});
