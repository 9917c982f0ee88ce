import { AppError } from '../../src/common/errors/app-error';
import { InputCheck } from '../../src/common/errors/validation';
import { checkPlace, checkSchedule } from '../../src/hearings/hearing-schedule.service';

/** The fields a check refuses (empty when it accepts). */
function refused(run: (check: InputCheck) => void): string[] {
  const check = new InputCheck();
  run(check);
  try {
    check.done();
    return [];
  } catch (error) {
    return ((error as AppError).fields ?? []).map((f) => f.field);
  }
}

const at = (iso: string) => new Date(iso);
const NOW = at('2026-12-01T03:00:00Z');

describe('when and where a hearing is held', () => {
  it('accepts a morning hearing next week', () => {
    expect(refused((c) => checkSchedule(c, at('2026-12-08T02:00:00Z'), at('2026-12-08T05:00:00Z'), NOW))).toEqual([]);
  });

  it('refuses a new start in the past, but not a start kept from before', () => {
    expect(refused((c) => checkSchedule(c, at('2026-11-30T02:00:00Z'), at('2026-12-08T01:00:00Z'), NOW))).toContain('input.startsAt');
    expect(refused((c) => checkSchedule(c, at('2026-11-30T02:00:00Z'), at('2026-11-30T05:00:00Z'), null))).toEqual([]);
  });

  it('refuses an end at or before the start, and a hearing longer than a day', () => {
    expect(refused((c) => checkSchedule(c, at('2026-12-08T05:00:00Z'), at('2026-12-08T05:00:00Z'), NOW))).toEqual(['input.endsAt']);
    expect(refused((c) => checkSchedule(c, at('2026-12-08T05:00:00Z'), at('2026-12-08T04:00:00Z'), NOW))).toEqual(['input.endsAt']);
    expect(refused((c) => checkSchedule(c, at('2026-12-08T02:00:00Z'), at('2026-12-09T02:00:01Z'), NOW))).toEqual(['input.endsAt']);
    expect(refused((c) => checkSchedule(c, at('2026-12-08T02:00:00Z'), at('2026-12-09T02:00:00Z'), NOW))).toEqual([]);
  });

  it('refuses dates that are not dates', () => {
    expect(refused((c) => checkSchedule(c, new Date('next tuesday'), at('2026-12-08T05:00:00Z'), NOW))).toEqual(['input.startsAt']);
  });

  it('needs a hall or an https link, and keeps what it was given', () => {
    expect(refused((c) => checkPlace(c, null, null))).toEqual(['input.venue']);
    expect(refused((c) => checkPlace(c, '', '  '))).toEqual(['input.venue']);
    expect(refused((c) => checkPlace(c, null, 'http://meet.example.org/x'))).toEqual(['input.onlineUrl']);
    expect(refused((c) => checkPlace(c, null, 'not a link'))).toEqual(['input.onlineUrl']);
    const check = new InputCheck();
    expect(checkPlace(check, '  Hall 2 ', 'https://meet.example.org/pw')).toEqual({ venue: 'Hall 2', onlineUrl: 'https://meet.example.org/pw' });
    expect(checkPlace(check, 'Hall 2', null)).toEqual({ venue: 'Hall 2', onlineUrl: null });
  });
});
