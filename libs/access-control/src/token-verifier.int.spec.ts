/**
 * Bearer token verification: what is accepted, and every way a token is refused with the reason a
 * caller is told. Tokens are made by the test helper's own HS256 signer (node:crypto), by jose for
 * RS256/ES256, and by hand for the malformed ones.
 */
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { TEST_JWT_SECRET, testToken } from '@cto/testing';
import { Unauthenticated } from './access-errors';
import type { AccessControlSettings } from './access-settings';
import { developmentTokenNotice } from './development-token';
import { TokenVerifier } from './token-verifier';

const hs256: Pick<AccessControlSettings, 'key' | 'issuer' | 'audience'> = {
  key: { algorithm: 'HS256', secret: new TextEncoder().encode(TEST_JWT_SECRET) },
  issuer: 'case-transfer-orchestration',
  audience: 'case-transfer-orchestration',
};
const verifier = new TokenVerifier(hs256);
const reader = { roles: ['reader'], authorities: ['kent'] };

/** The reason a refused token is given; fails the test if the token is accepted. */
async function refusal(token: string, by: TokenVerifier = verifier): Promise<string> {
  try {
    await by.verify(token);
  } catch (error) {
    if (error instanceof Unauthenticated) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a valid token', () => {
  it('gives the subject, the known roles and the authorities', async () => {
    const principal = await verifier.verify(testToken({ subject: 'liberi-kent', roles: ['integration', 'reader', 'superuser'], authorities: ['kent', 'Not An Id', 'kent'] }));
    expect(principal).toEqual({ subject: 'liberi-kent', roles: ['integration', 'reader'], authorities: ['kent'] });
  });

  it('is accepted a few seconds after exp (clock skew between issuer and server)', async () => {
    await expect(verifier.verify(testToken({ ...reader, expiresIn: -10 }))).resolves.toMatchObject({ roles: ['reader'] });
  });

  it('may carry no roles or no authorities: that is for the guard to refuse with 403, not a 401', async () => {
    await expect(verifier.verify(testToken({ roles: [], authorities: [] }))).resolves.toMatchObject({ roles: [], authorities: [] });
    await expect(verifier.verify(testToken({ ...reader, extra: { roles: 'reader', authorities: { kent: true } } }))).resolves.toMatchObject({ roles: [], authorities: [] });
  });
});

describe('a refused token says why', () => {
  it('expired', async () => {
    expect(await refusal(testToken({ ...reader, expiresIn: -120 }))).toBe('token expired');
  });

  it('wrong issuer', async () => {
    expect(await refusal(testToken({ ...reader, issuer: 'someone-else' }))).toBe('token issuer not accepted');
  });

  it('wrong audience', async () => {
    expect(await refusal(testToken({ ...reader, audience: 'another-api' }))).toBe('token audience not accepted');
  });

  it('signed with another secret', async () => {
    expect(await refusal(testToken({ ...reader, secret: 'x'.repeat(48) }))).toBe('signature invalid');
  });

  it('payload changed after signing (authorities widened)', async () => {
    const [header, , signature] = testToken(reader).split('.');
    const widened = b64({ sub: 'x', iss: hs256.issuer, aud: hs256.audience, exp: Math.floor(Date.now() / 1000) + 60, roles: ['reader'], authorities: ['kent', 'southampton'] });
    expect(await refusal(`${header}.${widened}.${signature}`)).toBe('signature invalid');
  });

  it('alg none (an unsigned token)', async () => {
    const [, payload] = testToken(reader).split('.');
    expect(await refusal(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBe('token algorithm not accepted');
  });

  it('no exp', async () => {
    expect(await refusal(testToken({ ...reader, extra: { exp: undefined } }))).toBe('token claim exp is missing');
  });

  it('no sub, or an empty one', async () => {
    expect(await refusal(testToken({ ...reader, extra: { sub: undefined } }))).toBe('token claim sub is missing');
    expect(await refusal(testToken({ ...reader, subject: '' }))).toBe('token claim sub must be a non-empty string');
  });

  it('not yet valid (nbf in the future)', async () => {
    expect(await refusal(testToken({ ...reader, extra: { nbf: Math.floor(Date.now() / 1000) + 3600 } }))).toBe('token not yet valid');
  });

  it('not a JWT at all', async () => {
    expect(await refusal('not-a-token')).toBe('token malformed');
    // Correctly signed, but the payload is not JSON: the signature is checked first, then the claims.
    const signingInput = `${b64({ alg: 'HS256' })}.${Buffer.from('not json').toString('base64url')}`;
    const signature = createHmac('sha256', TEST_JWT_SECRET).update(signingInput).digest('base64url');
    expect(await refusal(`${signingInput}.${signature}`)).toBe('token malformed');
  });
});

describe('a public key (AUTH_JWT_PUBLIC_KEY)', () => {
  const pem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
  const sign = (alg: 'RS256' | 'ES256', privateKey: KeyObject, claims: object = {}) =>
    new SignJWT({ roles: ['reader'], authorities: ['southampton'], ...claims })
      .setProtectedHeader({ alg })
      .setSubject('dashboard')
      .setIssuer(hs256.issuer)
      .setAudience(hs256.audience)
      .setExpirationTime('10m')
      .sign(privateKey);

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rs256 = new TokenVerifier({ ...hs256, key: { algorithm: 'RS256', publicKeyPem: pem(rsa.publicKey) } });

  it('accepts RS256 tokens signed with the matching private key', async () => {
    await expect(rs256.verify(await sign('RS256', rsa.privateKey))).resolves.toEqual({ subject: 'dashboard', roles: ['reader'], authorities: ['southampton'] });
  });

  it('refuses RS256 tokens signed with another private key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await refusal(await sign('RS256', other.privateKey), rs256)).toBe('signature invalid');
  });

  it('refuses an HS256 token made with the public key as the secret (algorithm confusion)', async () => {
    const forged = testToken({ ...reader, secret: pem(rsa.publicKey) });
    expect(await refusal(forged, rs256)).toBe('token algorithm not accepted');
  });

  it('accepts ES256 with a P-256 key, and refuses an RS256 token there', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const es256 = new TokenVerifier({ ...hs256, key: { algorithm: 'ES256', publicKeyPem: pem(ec.publicKey) } });
    await expect(es256.verify(await sign('ES256', ec.privateKey))).resolves.toMatchObject({ subject: 'dashboard' });
    expect(await refusal(await sign('RS256', rsa.privateKey), es256)).toBe('token algorithm not accepted');
  });
});

describe('the development token', () => {
  it('is printed only with an ephemeral key, grants every role and the given authorities, for 12 hours', async () => {
    const settings: AccessControlSettings = { ...hs256, ephemeral: true, rateLimitPerMinute: 600 };
    expect(await developmentTokenNotice({ ...settings, ephemeral: false }, ['kent'])).toEqual([]);
    const [explanation, header] = await developmentTokenNotice(settings, ['demo', 'kent']);
    expect(explanation).toMatch(/^development token/);
    const token = /^Authorization: Bearer (\S+)$/.exec(header)![1];
    expect(await verifier.verify(token)).toEqual({ subject: 'development', roles: ['integration', 'manager', 'reader', 'admin'], authorities: ['demo', 'kent'] });
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(exp - iat).toBe(12 * 3600);
  });
});
