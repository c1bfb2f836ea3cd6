/**
 * Bearer tokens for tests. A process started with `testAuthEnv()` verifies tokens signed with a
 * fixed test secret; `bearer(...)` signs one. Signed here with node:crypto rather than through
 * libs/access-control (which imports nothing from here, and its own specs use this), so the tests
 * check the verifier against an independent implementation of HS256 (RFC 7515), not against itself.
 */
import { createHmac } from 'node:crypto';

/** Used only by tests; 48 bytes, above the 32 the configuration requires. */
export const TEST_JWT_SECRET = 'test-secret-for-case-transfer-orchestration-0123';
export const TEST_ISSUER = 'case-transfer-orchestration';
export const TEST_AUDIENCE = 'case-transfer-orchestration';

/** Environment entries for loadConfig or a spawned process: verify tokens with the test secret. */
export const testAuthEnv = (): { AUTH_JWT_SECRET: string } => ({ AUTH_JWT_SECRET: TEST_JWT_SECRET });

export interface TestTokenClaims {
  /** integration, manager, reader, admin — or anything else, to see it ignored. */
  roles: readonly string[];
  authorities: readonly string[];
  /** Default: `test-<roles>`. */
  subject?: string;
  /** Seconds from now; negative for an expired token. Default 3600. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  /** Default: the test secret. */
  secret?: string;
  /** Claims added or overridden as they are (undefined removes one), for malformed tokens. */
  extra?: Record<string, unknown>;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A signed JWT with this system's claims. */
export function testToken(claims: TestTokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: claims.subject ?? `test-${claims.roles.join('-') || 'none'}`,
    iss: claims.issuer ?? TEST_ISSUER,
    aud: claims.audience ?? TEST_AUDIENCE,
    iat: now,
    exp: now + (claims.expiresIn ?? 3600),
    roles: [...claims.roles],
    authorities: [...claims.authorities],
    ...claims.extra,
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', claims.secret ?? TEST_JWT_SECRET).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** An `Authorization` header value: `Bearer <token>`. */
export const bearer = (claims: TestTokenClaims): string => `Bearer ${testToken(claims)}`;

/** The authorities of the shipped packs: every authority in force when POLICY_PACKS is not set. */
export const SHIPPED_AUTHORITIES: readonly string[] = ['demo', 'protocol-2023', 'casework-transfer', 'kent', 'southampton'];

/**
 * An admin token for POST /v1/admin/clock with the shipped packs in force: the clock is shared by
 * every authority in force, so only a token scoped to all of them may move it.
 */
export const clockAdmin = (): string => bearer({ roles: ['admin'], authorities: SHIPPED_AUTHORITIES, subject: 'clock-admin' });
