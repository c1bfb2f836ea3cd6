/**
 * Outside production, with no key configured, the process signs with a secret generated at start
 * and offers one token for every role and authority, so `npm start` can be tried at once. The
 * token is printed to the terminal, never logged, and dies with the process.
 */
import { SignJWT } from 'jose';
import type { AccessControlSettings } from './access-settings';
import { ROLES, type Role } from './principal';

export const DEVELOPMENT_TOKEN_HOURS = 12;
export const DEVELOPMENT_SUBJECT = 'development';

/** An HS256 token in this system's claims, signed with the configured secret. */
export async function signAccessToken(
  settings: Pick<AccessControlSettings, 'key' | 'issuer' | 'audience'>,
  claims: { subject: string; roles: readonly Role[]; authorities: readonly string[]; expiresInSeconds: number },
): Promise<string> {
  if (settings.key.algorithm !== 'HS256') throw new Error('only a shared secret can sign here; RS256 and ES256 tokens come from the identity provider');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: [...claims.roles], authorities: [...claims.authorities] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.expiresInSeconds)
    .sign(settings.key.secret);
}

/** The lines `npm start` prints after the listening line; none when a real key is configured. */
export async function developmentTokenNotice(settings: AccessControlSettings, authorities: readonly string[]): Promise<string[]> {
  if (!settings.ephemeral) return [];
  const token = await signAccessToken(settings, {
    subject: DEVELOPMENT_SUBJECT,
    roles: ROLES,
    authorities,
    expiresInSeconds: DEVELOPMENT_TOKEN_HOURS * 3600,
  });
  return [
    `development token (no AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY is set, so this process signs with a key of its own; valid ${DEVELOPMENT_TOKEN_HOURS} hours or until it stops; roles: ${ROLES.join(', ')}; authorities: ${authorities.join(', ')}):`,
    `Authorization: Bearer ${token}`,
  ];
}
