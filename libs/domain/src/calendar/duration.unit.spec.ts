import fc from 'fast-check';
import { type Duration, formatDuration, InvalidDuration, parseDuration } from './index';

const duration = (parts: Partial<Duration>): Duration => ({ years: 0, months: 0, weeks: 0, days: 0, workingDays: 0, ...parts });

describe('parseDuration — timescales as a team manager writes them in a pack', () => {
  it.each<[string, Partial<Duration>, string]>([
    ['10 working days', { workingDays: 10 }, '10 working days'],
    ['1 working day', { workingDays: 1 }, '1 working day'],
    ['5 days', { days: 5 }, '5 days'],
    ['1 day', { days: 1 }, '1 day'],
    ['3 weeks', { weeks: 3 }, '3 weeks'],
    ['6 months', { months: 6 }, '6 months'],
    ['1 month', { months: 1 }, '1 month'],
    ['18 years', { years: 18 }, '18 years'],
    ['1 year', { years: 1 }, '1 year'],
    ['15 years 6 months', { years: 15, months: 6 }, '15 years 6 months'],
    ['17½ years', { years: 17, months: 6 }, '17 years 6 months'],
    ['17 ½ years', { years: 17, months: 6 }, '17 years 6 months'], // 003: "at 17 ½"
    ['15 1/2 years', { years: 15, months: 6 }, '15 years 6 months'], // 000 ¶20: "15 1/2 years old"
    ['0 days', {}, '0 days'],
    ['1 year 2 months 3 weeks 4 days', { years: 1, months: 2, weeks: 3, days: 4 }, '1 year 2 months 3 weeks 4 days'],
    ['15 years and 6 months', { years: 15, months: 6 }, '15 years 6 months'],
    ['15 years, 6 months', { years: 15, months: 6 }, '15 years 6 months'],
    ['  10 Working  Days ', { workingDays: 10 }, '10 working days'],
    ['20 calendar days', { days: 20 }, '20 days'],
    ['18 months', { months: 18 }, '18 months'],
    ['48 hours', { hours: 48 }, '48 hours'], // 004 CFF 11: "at least 48 hours before the panel meeting"
    ['6 hours', { hours: 6 }, '6 hours'], // 004 MASH 1: "6 hours red"
    ['1 hour', { hours: 1 }, '1 hour'],
  ])('reads "%s"', (text, parts, canonical) => {
    expect(parseDuration(text)).toEqual(duration(parts));
    expect(formatDuration(parseDuration(text))).toBe(canonical);
    expect(parseDuration(canonical)).toEqual(duration(parts));
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['ten days', 'cannot read "ten days"'],
    ['17.5 years', 'cannot read "17.5 years"'],
    ['years', 'cannot read "years"'],
    ['5 fortnights', 'cannot read "5 fortnights"'],
    ['6', 'cannot read "6"'],
    ['-3 days', 'cannot read "-3 days"'],
    ['5½ months', '½ is only allowed with years'], // 000 ¶4's "5 ½ months" must be written out
    ['6 months 1 year', 'largest to smallest'],
    ['3 days 3 days', 'days given twice'],
    ['10 working days 2 days', 'working days cannot be combined'],
    ['1 week 2 working days', 'working days cannot be combined'],
    ['17½ years 6 months', '½ year already means 6 months'],
    ['99999999999999999999 days', 'too large'],
    ['48 working hours', 'working hours cannot be counted: the facts carry dates, not times of day'],
    ['1 day 6 hours', 'hours cannot be combined'],
    ['2 working days 4 hours', 'working days cannot be combined'],
    ['1½ hours', '½ is only allowed with years'],
  ])('rejects "%s" saying why (%s)', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(InvalidDuration);
    expect(() => parseDuration(text)).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', text, reason: expect.stringContaining(reason) }),
    );
  });
});

describe('formatDuration — the canonical text', () => {
  it('prints units largest first, singular for one', () =>
    expect(formatDuration(duration({ years: 1, months: 1, weeks: 1, days: 1 }))).toBe('1 year 1 month 1 week 1 day'));

  it('prints a zero duration as "0 days"', () => expect(formatDuration(duration({}))).toBe('0 days'));

  it.each<[Partial<Duration>, string]>([
    [{ days: -1 }, 'days must be a whole number'],
    [{ months: 1.5 }, 'months must be a whole number'],
    [{ workingDays: 2, days: 1 }, 'working days cannot be combined'],
    [{ hours: 1.5 }, 'hours must be a whole number'],
    [{ days: 1, hours: 6 }, 'hours cannot be combined'],
  ])('refuses a hand-built %j', (parts, reason) =>
    expect(() => formatDuration(duration(parts))).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', reason: expect.stringContaining(reason) }),
    ));

  it('reads back whatever it prints', () => {
    const calendarUnits = fc.record({
      years: fc.nat(120),
      months: fc.nat(60),
      weeks: fc.nat(60),
      days: fc.nat(400),
      workingDays: fc.constant(0),
    });
    const workingDays = fc.nat(400).map((n) => duration({ workingDays: n }));
    const hours = fc.integer({ min: 1, max: 400 }).map((n) => duration({ hours: n }));
    fc.assert(
      fc.property(fc.oneof(calendarUnits, workingDays, hours), (d) => {
        expect(parseDuration(formatDuration(d))).toEqual(d);
      }),
    );
  });
});
