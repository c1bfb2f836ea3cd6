/**
 * Refusals in the system's one error shape (`{ error, message, errors? }`, see the runtime's
 * HttpErrorFilter): 401 when the caller is not known, 403 when it is known and not allowed.
 */
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';

/** The RFC 6750 challenge: a client without a token is told which scheme to use. */
export const BEARER_CHALLENGE = 'Bearer realm="case-transfer-orchestration"';

export class Unauthenticated extends UnauthorizedException {
  /** `reason`: missing bearer token, token expired, signature invalid, … (safe to show the caller). */
  constructor(readonly reason: string) {
    super({ error: 'unauthorized', message: reason });
  }

  /** RFC 6750 §3: a presented but unusable token is `invalid_token`; a missing one gets the bare challenge. */
  challenge(): string {
    return this.reason === MISSING_TOKEN ? BEARER_CHALLENGE : `${BEARER_CHALLENGE}, error="invalid_token", error_description="${this.reason}"`;
  }
}

export const MISSING_TOKEN = 'missing bearer token';

export class AccessDenied extends ForbiddenException {
  constructor(message: string, errors?: { index: number; path: string; reason: string }[]) {
    super({ error: 'forbidden', message, ...(errors ? { errors } : {}) });
  }
}
