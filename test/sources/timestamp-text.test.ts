/**
 * Timestamps from text (src/component/timestamp-text.ts), the form toISOString writes read from its digits: the same
 * instant as Date.parse for every real time, and refused (undefined) when the date or time is not real, exactly as
 * the regex path refuses it. Years before 100 go the regex path (Date.UTC would move them to the 1900s).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimestamp } from '../../src/component/timestamp-text.js';

describe('parseTimestamp: ISO UTC with milliseconds', () => {
  it('gives the instant Date.parse gives, over years 100 to 9999', () => {
    for (let i = 0; i < 5000; i++) {
      const ms = Date.UTC(100, 0, 1) + Math.floor((((i * 7919) % 5000) / 5000) * (Date.UTC(9999, 11, 31) - Date.UTC(100, 0, 1))) + i;
      const text = new Date(ms).toISOString();
      assert.equal(parseTimestamp(text), Date.parse(text), text);
    }
  });

  it('edge dates and times: leap days, the last millisecond, years before 100', () => {
    for (const text of [
      '2024-02-29T00:00:00.000Z',
      '2000-02-29T12:00:00.000Z',
      '2026-12-31T23:59:59.999Z',
      '0050-06-15T01:02:03.004Z',
      '0000-01-01T00:00:00.000Z',
    ]) {
      assert.equal(parseTimestamp(text), Date.parse(text), text);
    }
  });

  it('refuses what is not a real time, as before', () => {
    for (const text of [
      '2026-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-12-01T24:00:00.000Z',
      '2026-12-01T07:60:00.000Z',
      '2026-12-01T07:00:60.000Z',
      '2026-12-01T07:00:0x.000Z',
      '2026-12-01X07:00:00.000Z',
    ]) {
      assert.equal(parseTimestamp(text), undefined, text);
    }
  });

  it('other spellings still go the regex path: lower-case t and z, offsets, spaces around', () => {
    const ms = Date.parse('2026-12-01T07:00:00.123Z');
    assert.equal(parseTimestamp('2026-12-01t07:00:00.123z'), ms);
    assert.equal(parseTimestamp(' 2026-12-01T07:00:00.123Z '), ms);
    assert.equal(parseTimestamp('2026-12-01T09:00:00.123+02:00'), ms);
  });
});
