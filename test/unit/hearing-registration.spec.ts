import { AttendanceMode, RegistrationStatus } from '../../src/hearings/entities/hearing.entity';
import { checkInCodeOf, normalizeCheckInCode, placeFor } from '../../src/hearings/hearing-registration.service';

const SECRET = 'test-secret-test-secret-test-secret-0001';

describe('registration and check-in', () => {
  it('derives an 8-character door code per registration, without look-alike characters', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const codes = ids.map((id) => checkInCodeOf(SECRET, id));
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(checkInCodeOf(SECRET, ids[0])).toBe(codes[0]);
    expect(checkInCodeOf('another-secret-another-secret-another', ids[0])).not.toBe(codes[0]);
  });

  it('reads a code as typed at the door: any case, spaces and dashes', () => {
    const code = checkInCodeOf(SECRET, 'registration');
    expect(normalizeCheckInCode(code)).toBe(code);
    expect(normalizeCheckInCode(`${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase())).toBe(code);
    expect(normalizeCheckInCode(` ${code.slice(0, 4)} ${code.slice(4)} `)).toBe(code);
    for (const typo of ['', 'NOTACODE', 'ABCD', 'ABCDEFGHJ', 'ABCD-EFG1', 'OOOOIIII']) expect(normalizeCheckInCode(typo)).toBeNull();
  });

  it('gives a seat while seats remain and nobody waits, and always an online place', () => {
    const inPerson = AttendanceMode.IN_PERSON;
    expect(placeFor(inPerson, { capacity: 2, taken: 1, waiting: 0 })).toBe(RegistrationStatus.CONFIRMED);
    expect(placeFor(inPerson, { capacity: 2, taken: 2, waiting: 0 })).toBe(RegistrationStatus.WAITLISTED);
    // A seat freed while people wait goes to the first of them, not to whoever registers next.
    expect(placeFor(inPerson, { capacity: 2, taken: 1, waiting: 1 })).toBe(RegistrationStatus.WAITLISTED);
    expect(placeFor(AttendanceMode.ONLINE, { capacity: 2, taken: 2, waiting: 5 })).toBe(RegistrationStatus.CONFIRMED);
  });
});
