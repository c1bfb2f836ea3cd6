/**
 * Bearer token verification (JWT, RFC 7519) with jose. Only the configured algorithm is accepted —
 * never `none`, and never HS256 signed with a public key the verifier holds for RS256 — and `exp`
 * is required, so a token cannot be minted to live for ever.
 */
import { errors, importSPKI, jwtVerify, type CryptoKey } from 'jose';
import { Unauthenticated } from './access-errors';
import { CLOCK_TOLERANCE_SECONDS, type AccessControlSettings } from './access-settings';
import { principalOf, type Principal } from './principal';

export class TokenVerifier {
  private key?: Promise<Uint8Array | CryptoKey>;

  constructor(private readonly settings: Pick<AccessControlSettings, 'key' | 'issuer' | 'audience'>) {}

  /** The principal a token names, or Unauthenticated saying why not (401). */
  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, await this.verificationKey(), {
        algorithms: [this.settings.key.algorithm],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new Unauthenticated('token claim sub must be a non-empty string');
      return principalOf(payload as { sub: string; roles?: unknown; authorities?: unknown });
    } catch (error) {
      throw error instanceof Unauthenticated ? error : new Unauthenticated(reasonFor(error));
    }
  }

  private verificationKey(): Promise<Uint8Array | CryptoKey> {
    const key = this.settings.key;
    this.key ??= key.algorithm === 'HS256' ? Promise.resolve(key.secret) : importSPKI(key.publicKeyPem, key.algorithm);
    return this.key;
  }
}

/** A reason the caller may be told: it names what failed, never what the token contained. */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token claim ${error.claim} is missing`;
    if (error.claim === 'iss') return 'token issuer not accepted';
    if (error.claim === 'aud') return 'token audience not accepted';
    if (error.claim === 'nbf') return 'token not yet valid';
    return `token claim ${error.claim} is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature invalid';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'token algorithm not accepted';
  return 'token malformed';
}
