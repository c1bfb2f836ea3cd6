/**
 * One shape for every refusal: a status, a stable `error` code, a sentence, and field-level
 * `errors` where input was at fault — never a bare status (STYLE.md, "Do not copy").
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FieldError } from '@cto/contracts';

export class InputRejected extends HttpException {
  constructor(error: string, message: string, errors: (FieldError | { index: number; eventId?: string; errors: FieldError[] })[]) {
    super({ error, message, errors }, HttpStatus.BAD_REQUEST);
  }
}

export class NotFound extends HttpException {
  constructor(error: string, message: string) {
    super({ error, message }, HttpStatus.NOT_FOUND);
  }
}

/** The part of Express's response the filter uses. */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const status = exception.getStatus();
      if (typeof body === 'object') {
        response.status(status).json(normalise(status, body as Record<string, unknown>));
      } else {
        response.status(status).json({ error: codeFor(status), message: body });
      }
      return;
    }
    // Express middleware in front of the controllers (body-parser: a body over the size limit, an
    // unsupported charset or encoding) refuses with its own errors, not HttpExceptions. They carry a
    // 4xx `status` and `expose: true` when their message is meant for the client; they are the
    // client's fault, not ours, so they get that status in our shape rather than a 500.
    const clientError = exposedClientError(exception);
    if (clientError) {
      response.status(clientError.status).json({ error: codeFor(clientError.status), message: clientError.message });
      return;
    }
    this.logger.error(`unhandled ${(exception as Error)?.name ?? 'error'}`);
    this.logger.debug((exception as Error)?.stack ?? String(exception));
    response.status(500).json({ error: 'internal-error', message: 'the request could not be completed; nothing was recorded unless a 202 said so' });
  }
}

function exposedClientError(exception: unknown): { status: number; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, expose, message } = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  return { status, message: typeof message === 'string' ? message : codeFor(status) };
}

/** Nest's own errors (404 for an unknown route, class-validator's 400) into our shape. */
function normalise(status: number, body: Record<string, unknown>): Record<string, unknown> {
  if (typeof body.error === 'string' && /^[a-z-]+$/.test(body.error)) return body;
  const message = Array.isArray(body.message) ? 'the request is invalid' : String(body.message ?? codeFor(status));
  return { error: codeFor(status), message, ...(Array.isArray(body.message) ? { errors: body.message } : {}) };
}

const codeFor = (status: number): string =>
  ({ 400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'payload-too-large', 415: 'unsupported-media-type', 429: 'too-many-requests' })[status] ??
  'error';
