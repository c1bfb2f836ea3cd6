/**
 * The write budget: RATE_LIMIT_PER_MINUTE requests a minute per token subject, shared by every
 * endpoint marked @WriteRateLimited(), so one misbehaving integration cannot flood the store
 * whichever write endpoint it uses. Runs after the access guard, so the subject is verified.
 * The count is per process (in memory); behind a load balancer each instance counts its own.
 */
import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { PRINCIPAL, type Principal } from './principal';

@Injectable()
export class WriteThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string | symbol, unknown>): Promise<string> {
    const principal = request[PRINCIPAL] as Principal | undefined;
    return principal ? `subject:${principal.subject}` : `ip:${String(request.ip)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `writes:${throttler}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      {
        error: 'too-many-requests',
        message: `more than ${detail.limit} writes a minute from this client; nothing of this request was recorded; retry after ${detail.timeToBlockExpire} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
