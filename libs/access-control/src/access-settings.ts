/** What access control needs from the configuration (the runtime validates the environment into it). */

export type VerificationKey =
  /** A shared secret of at least 32 bytes (AUTH_JWT_SECRET). */
  | { algorithm: 'HS256'; secret: Uint8Array }
  /** The identity provider's public key, PEM SPKI (AUTH_JWT_PUBLIC_KEY); only it can sign. */
  | { algorithm: 'RS256' | 'ES256'; publicKeyPem: string };

export interface AccessControlSettings {
  key: VerificationKey;
  /** `iss` every token must carry (AUTH_ISSUER). */
  issuer: string;
  /** `aud` every token must carry (AUTH_AUDIENCE). */
  audience: string;
  /**
   * The key was generated at this start because none was configured (never in production): tokens
   * die with the process, and a development token is printed so the API can be tried at once.
   */
  ephemeral: boolean;
  /** Writes a minute per token subject (RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute: number;
}

export const DEFAULT_ISSUER = 'case-transfer-orchestration';
export const DEFAULT_AUDIENCE = 'case-transfer-orchestration';
/** Seconds of clock difference tolerated between the issuer and this process for exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Injection token for the settings. */
export const ACCESS_CONTROL_SETTINGS = Symbol('ACCESS_CONTROL_SETTINGS');
