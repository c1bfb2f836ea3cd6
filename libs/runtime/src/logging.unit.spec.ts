import { logId, scrubUrl } from './logging';

describe('logId: a client-chosen id as logs above debug show it', () => {
  const key = { logIdKey: new TextEncoder().encode('k'.repeat(32)) };

  it('is HMAC-SHA256, hex, its first 16 digits (RFC 4231 test case 2), so support can compute it with openssl', () => {
    expect(logId({ logIdKey: new TextEncoder().encode('Jefe') }, 'what do ya want for nothing?')).toBe('hmac:5bdcc146bf60754e');
  });

  it('names the same id alike and never shows it', () => {
    expect(logId(key, 'C-1029-icpc-1')).toBe(logId(key, 'C-1029-icpc-1'));
    expect(logId(key, 'C-1029-icpc-1')).not.toBe(logId(key, 'C-1029-icpc-2'));
    expect(logId(key, 'C-1029-icpc-1')).not.toContain('C-1029');
  });

  it('differs under another key: without the key, a guessed id cannot be checked against the log', () => {
    expect(logId({ logIdKey: new TextEncoder().encode('j'.repeat(32)) }, 'C-1029-icpc-1')).not.toBe(logId(key, 'C-1029-icpc-1'));
  });
});

describe('scrubUrl', () => {
  it('drops the child id from a path and the whole query string', () => {
    expect(scrubUrl('/v1/children/C-1029/transfers?authority=demo')).toBe('/v1/children/:childId/transfers');
  });
});
