import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { asStored, canonicalAroundVersion, GENESIS_HASH, integrityHash, type HashedEvent } from './integrity';

// The append sends each event's canonical JSON cut around its stream version, and the database puts
// the version in and hashes (migrations/append-function.ts). That is only the same hash as
// integrityHash if the two halves and the version make exactly the text integrityHash hashes.
describe('canonical JSON cut around the stream version', () => {
  const events: Array<Omit<HashedEvent, 'streamVersion'>> = [
    {
      eventId: 'e-1',
      streamId: 'child/kent/C-1',
      type: 'ReferralReceived',
      data: { zebra: 1, apple: { y: [2, { b: 1, a: null }], x: 'ü 🧒 "quoted" \\ back\nslash' }, mm: -3e-7, big: 1e21, empty: {} },
      metadata: { kind: 'fact', authority: 'kent', childId: 'C-1', occurredAt: '2026-03-02T10:00:00.000Z', streamVersion: 'a decoy key' },
    },
    { eventId: 'e-"2"', streamId: 's', type: 'T', data: null, metadata: { kind: 'decision', authority: 'a', childId: 'c', occurredAt: 'x' } },
    { eventId: 'e-3', streamId: 's', type: 'T', data: [3, 'two', { one: 1 }], metadata: { kind: 'fact', authority: 'a', childId: 'c', occurredAt: 'x', '\u0001control': '\u001f' } },
    { eventId: 'e-4', streamId: 's', type: 'T', data: 'a bare string', metadata: { kind: 'fact', authority: 'a', childId: 'c', occurredAt: 'x' } },
  ];

  it.each(events.map((event) => [event.eventId, event] as const))('%s: before + version + after is its canonical JSON', (_, event) => {
    const { before, after } = canonicalAroundVersion({ ...event, data: asStored(event.data), metadata: asStored(event.metadata) });
    for (const streamVersion of [1, 9, 10, 123_456, 2_147_483_647]) {
      const whole = { ...event, streamVersion };
      expect(`${before}${streamVersion}${after}`).toBe(canonicalize(whole));
      expect(createHash('sha256').update(`${GENESIS_HASH}${before}${streamVersion}${after}`, 'utf8').digest('hex')).toBe(integrityHash(GENESIS_HASH, whole));
    }
  });
});
