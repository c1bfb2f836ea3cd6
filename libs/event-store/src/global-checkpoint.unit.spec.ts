import { START_CHECKPOINT } from './event-store.port';
import { decodeGlobalCheckpoint, encodeGlobalCheckpoint, InvalidCheckpoint } from './global-checkpoint';

describe('global checkpoint', () => {
  it('reads START_CHECKPOINT as before every transaction and position', () => {
    expect(decodeGlobalCheckpoint(START_CHECKPOINT)).toEqual({ transactionId: '0', globalPosition: '0' });
  });

  it('round-trips a (transaction, position) pair, up to the largest values the columns hold', () => {
    for (const parts of [
      { transactionId: '1042', globalPosition: '17' },
      { transactionId: '18446744073709551615', globalPosition: '9223372036854775807' },
    ]) {
      expect(decodeGlobalCheckpoint(encodeGlobalCheckpoint(parts))).toEqual(parts);
    }
  });

  it('never encodes a real position as START_CHECKPOINT', () => {
    expect(encodeGlobalCheckpoint({ transactionId: '3', globalPosition: '1' })).not.toBe(START_CHECKPOINT);
  });

  it.each(['', 'banana', '12', '1:', ':1', '-1:3', '1:2:3', '01:2', '1.5:2', ' 1:2', '18446744073709551616:1', '1:9223372036854775808'])(
    'refuses %j',
    (checkpoint) => {
      expect(() => decodeGlobalCheckpoint(checkpoint)).toThrow(InvalidCheckpoint);
    },
  );
});
