import { parseDateTime } from '../../src/common/graphql/date-time.scalar';

const readable = (value: unknown) => !Number.isNaN(parseDateTime(value).getTime());

describe('DateTime read from clients', () => {
  it('reads RFC 3339 date-times with an offset, as the instant they name', () => {
    expect(parseDateTime('2026-12-03T09:30:00+07:00').toISOString()).toBe('2026-12-03T02:30:00.000Z');
    expect(parseDateTime('2026-12-03T02:30:00Z').toISOString()).toBe('2026-12-03T02:30:00.000Z');
    expect(parseDateTime('2026-12-03t02:30:00.123456z').toISOString()).toBe('2026-12-03T02:30:00.123Z');
    expect(parseDateTime('2028-02-29T12:00:00-05:30').toISOString()).toBe('2028-02-29T17:30:00.000Z');
  });

  it('refuses what new Date() would guess at: impossible days, no offset, bare dates, numbers, six-digit years', () => {
    for (const value of [
      '2026-02-29T12:00:00Z', // not a leap year
      '2026-02-30T12:00:00+07:00',
      '2026-04-31T12:00:00Z',
      '2026-13-01T12:00:00Z',
      '2026-12-03T24:00:00Z',
      '2026-12-03T09:60:00Z',
      '2026-12-03T09:30:00+24:00',
      '2026-12-03T09:30:00',
      '2026-12-03',
      '2026-12-03 09:30:00Z',
      '+275760-09-13T00:00:00Z',
      '0099-12-03T09:30:00Z',
      'next tuesday',
      '',
      0,
      1764754200000,
      null,
      ['2026-12-03T09:30:00Z'],
    ]) {
      expect([value, readable(value)]).toEqual([value, false]);
    }
  });
});
