import fc from 'fast-check';
import { childStreamId, InvalidAuthority } from './stream-id';

describe('childStreamId', () => {
  it('gives an authority whose id begins with another’s a stream of its own', () => {
    expect(childStreamId('kent', 'east-C1')).toBe('child/kent/east-C1');
    expect(childStreamId('kent-east', 'C1')).toBe('child/kent-east/C1');
  });

  it('never gives two (authority, child id) pairs the same id', () => {
    const authority = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/);
    // Any child id at all, "/" and "-" included: the authority alone must make the id unambiguous.
    const pair = fc.tuple(authority, fc.string({ minLength: 1 }));
    fc.assert(
      fc.property(pair, pair, ([a1, c1], [a2, c2]) => {
        fc.pre(a1 !== a2 || c1 !== c2);
        expect(childStreamId(a1, c1)).not.toBe(childStreamId(a2, c2));
      }),
    );
    // The shape fast-check may not find on its own: one authority a prefix of the other.
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/), fc.stringMatching(/^[a-z0-9-]{1,30}$/), fc.string({ minLength: 1 }), (a, suffix, c) => {
        expect(childStreamId(`${a}-${suffix}`, c)).not.toBe(childStreamId(a, `${suffix}-${c}`));
      }),
    );
  });

  it.each(['', 'Kent', 'kent/east', '-kent', 'kent east', 'a'.repeat(64)])('refuses %j, which is no authority id', (authority) => {
    expect(() => childStreamId(authority, 'C1')).toThrow(InvalidAuthority);
    expect(() => childStreamId(authority, 'C1')).toThrow(expect.objectContaining({ code: 'INVALID_AUTHORITY', authority }));
  });
});
