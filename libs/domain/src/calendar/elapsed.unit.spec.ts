import { isAtLeast, isLongerThan, parseDuration, WorkingCalendar } from './index';

const calendar = new WorkingCalendar();

describe('isLongerThan — strictly beyond from + duration', () => {
  it.each([
    ['2026-01-15', '2026-07-15', '6 months', false, 'exactly 6 months is not beyond'],
    ['2026-01-15', '2026-07-16', '6 months', true, 'a day beyond 6 months'],
    ['2026-08-31', '2027-02-28', '6 months', false, '31 August + 6 months clamps to 28 February'],
    ['2026-08-31', '2027-03-01', '6 months', true, 'the day after the clamped end'],
    ['2026-01-15', '2026-01-01', '0 days', false, 'to before from'],
  ])('%s → %s, %s: %s (%s)', (from, to, text, expected) => expect(isLongerThan(from, to, parseDuration(text))).toBe(expected));

  it('counts working days with the authority calendar', () => {
    expect(isLongerThan('2026-05-01', '2026-05-18', parseDuration('10 working days'), calendar)).toBe(false);
    expect(isLongerThan('2026-05-01', '2026-05-19', parseDuration('10 working days'), calendar)).toBe(true);
  });

  it('needs a calendar for working days', () =>
    expect(() => isLongerThan('2026-05-01', '2026-05-19', parseDuration('10 working days'))).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', reason: 'working days need a WorkingCalendar' }),
    ));

  it('rejects a date that does not exist', () =>
    expect(() => isLongerThan('2026-01-15', '2026-02-30', parseDuration('1 month'))).toThrow(
      expect.objectContaining({ code: 'INVALID_LOCAL_DATE' }),
    ));
});

describe('isAtLeast — on or after from + duration', () => {
  it.each([
    ['2026-01-15', '2026-07-15', '6 months', true],
    ['2026-01-15', '2026-07-14', '6 months', false],
    ['2026-05-01', '2026-07-31', '13 weeks', true], // 003: "in care for at least 13 weeks"
    ['2026-05-01', '2026-07-30', '13 weeks', false],
  ])('%s → %s, %s: %s', (from, to, text, expected) => expect(isAtLeast(from, to, parseDuration(text))).toBe(expected));

  it('counts working days with the authority calendar', () => {
    expect(isAtLeast('2026-05-01', '2026-05-18', parseDuration('10 working days'), calendar)).toBe(true);
    expect(isAtLeast('2026-05-01', '2026-05-15', parseDuration('10 working days'), calendar)).toBe(false);
  });
});
