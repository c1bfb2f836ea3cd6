/**
 * How an endpoint says who may call it. Every route must say: `@Public()` (only /health), or
 * `@Roles(...)` on the handler or its controller. A route that says neither is refused (fail
 * closed), so a forgotten decorator shows up as a 403, never as an open endpoint.
 */
import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { PRINCIPAL, type Principal, type Role } from './principal';
import { WriteThrottlerGuard } from './write-throttler.guard';

export const PUBLIC_ROUTE = 'cto:access:public';
export const REQUIRED_ROLES = 'cto:access:roles';

/** No token needed. For liveness probes only: nothing behind it may read or change case data. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The caller's token must grant at least one of these roles (a handler's list replaces its controller's). */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

/** RATE_LIMIT_PER_MINUTE writes a minute per token subject, shared by every endpoint that opts in. */
export const WriteRateLimited = (): MethodDecorator & ClassDecorator => applyDecorators(UseGuards(WriteThrottlerGuard));

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<{ [PRINCIPAL]?: Principal }>()[PRINCIPAL];
  // Only a @Public() route can get here without one, and such a route has no business asking.
  if (!principal) throw new Error('@CurrentPrincipal() on a route the access guard did not authenticate');
  return principal;
});
