/**
 * What every response carries and every request body must be, before a controller sees it
 * (issue 15): JSON and only JSON, security headers, and no caching of anything under /v1.
 */
import { HttpException, HttpStatus } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export class UnsupportedMediaType extends HttpException {
  constructor(contentType: string | undefined) {
    super(
      {
        error: 'unsupported-media-type',
        message: `the body must be JSON sent as Content-Type: application/json${contentType ? `, not ${contentType.slice(0, 100)}` : ''}`,
      },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
}

/**
 * A request with a body must say it is JSON: this is a JSON API, and a form-encoded body (which
 * Express would otherwise parse into strings) would reach validation in a shape no client meant.
 * A request without a body (most GETs, an action with nothing to say) needs no Content-Type.
 */
export const requireJsonBodies: Middleware = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const mediaType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
  next(hasBody && mediaType !== 'application/json' ? new UnsupportedMediaType(req.headers['content-type']) : undefined);
};

/**
 * body-parser's `verify` hook, before parsing: a UTF-8 byte order mark is refused rather than
 * silently dropped (RFC 8259 §8.1: JSON text must not begin with one), so a client learns its
 * serializer adds one. An error with `status` reaches the client as that status, in our shape.
 */
export function refuseByteOrderMark(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    throw Object.assign(new Error('the JSON body begins with a byte order mark (U+FEFF); send it without one (RFC 8259 §8.1)'), { status: 400, expose: true });
  }
}

/**
 * Only this origin's script and stylesheet, no inline code, calls to this origin only: case data the
 * dashboard shows can never run as script, and nothing else served here is meant to be rendered.
 * No form is ever submitted by the browser itself, so a token typed before the dashboard's script
 * has loaded cannot end up in a URL. No page of ours may be framed.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * helmet's headers on every response (nosniff, no referrer, HSTS, cross-origin isolation, no
 * X-Powered-By …), with the policy above instead of its default one and framing denied outright.
 */
export const securityHeaders = (): Middleware =>
  helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY }, xFrameOptions: { action: 'deny' } });

/** Responses under /v1 carry children's case data, or refusals about it: no cache may keep a copy. */
export const noStore: Middleware = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
