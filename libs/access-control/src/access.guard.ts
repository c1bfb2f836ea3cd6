/**
 * The one gate in front of every HTTP endpoint (registered as APP_GUARD): the route's declaration
 * first (public, roles, or neither — refused), then the bearer token, then the roles. Which
 * authorities a request may touch is checked where the authority is known: in the handler, with
 * `assertMayAccess` and friends.
 */
import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessDenied, MISSING_TOKEN, Unauthenticated } from './access-errors';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './decorators';
import { PRINCIPAL, ROLES, type Principal, type Role } from './principal';
import { TokenVerifier } from './token-verifier';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  [PRINCIPAL]?: Principal;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
}

@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('access');
  private readonly undeclaredWarned = new Set<string>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // A bus message (Nest's 'rpc' context: the services' @EventPattern handlers) is not a request
    // and carries no token: who may produce to a topic is the broker's to control (Kafka ACLs), and
    // intake checks every case event's authority against the packs in force. Anything else that
    // is neither (websockets, none served here) has no token to check, so it is refused.
    const type = context.getType();
    if (type === 'rpc') return true;
    if (type !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (!required?.length) {
      this.warnUndeclared(context);
      throw new AccessDenied('this endpoint declares no roles, so nobody may call it');
    }

    const request = context.switchToHttp().getRequest<HttpRequest>();
    let principal: Principal;
    try {
      principal = await this.verifier.verify(bearerTokenOf(request));
    } catch (error) {
      if (error instanceof Unauthenticated) {
        context.switchToHttp().getResponse<HttpResponse>().setHeader('WWW-Authenticate', error.challenge());
        this.logger.debug(`refused ${routeOf(context)}: ${error.reason}`);
      }
      throw error;
    }

    if (!principal.roles.length) throw this.denied(context, principal, `this token grants none of the roles ${ROLES.join(', ')}`);
    if (!principal.authorities.length) throw this.denied(context, principal, 'this token is not scoped to any authority');
    if (!required.some((role) => principal.roles.includes(role))) {
      throw this.denied(context, principal, `this endpoint needs the role ${required.join(' or ')}`);
    }
    this.logger.debug(`${routeOf(context)} by ${principal.subject}`);
    request[PRINCIPAL] = principal;
    return true;
  }

  private denied(context: ExecutionContext, principal: Principal, message: string): AccessDenied {
    this.logger.debug(`refused ${routeOf(context)} to ${principal.subject}: ${message}`);
    return new AccessDenied(message);
  }

  private warnUndeclared(context: ExecutionContext): void {
    const route = routeOf(context);
    if (this.undeclaredWarned.has(route)) return;
    this.undeclaredWarned.add(route);
    this.logger.warn(`${route} has neither @Roles() nor @Public(): every request to it is refused`);
  }
}

/** `Controller.handler`: names the route without the path, which may carry a child id. */
const routeOf = (context: ExecutionContext): string => `${context.getClass().name}.${context.getHandler().name}`;

function bearerTokenOf(request: HttpRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') throw new Unauthenticated(MISSING_TOKEN);
  const match = typeof header === 'string' ? /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header) : null;
  if (!match) throw new Unauthenticated('the Authorization header must be "Bearer <token>"');
  return match[1];
}
