import type { ArgumentsHost } from '@nestjs/common';
import { HttpErrorFilter, InputRejected } from './http-errors';

/** Runs the filter on one exception and returns what it answered. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
  const response = { status: (status: number) => ({ json: (body: Record<string, unknown>) => Object.assign(sent, { status, body }) }) };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  return sent;
}

/** What body-parser (via http-errors) throws for a body over the limit: an Error with status 413 and expose. */
function bodyParserError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

describe('HttpErrorFilter', () => {
  // Found by test/e2e/case-events.fuzz.e2e.spec.ts: a body over the 2 MB limit was answered 500.
  it('answers a body over the size limit 413 in our shape, not 500', () => {
    expect(answer(bodyParserError(413, 'request entity too large', 'entity.too.large'))).toEqual({
      status: 413,
      body: { error: 'payload-too-large', message: 'request entity too large' },
    });
  });

  it('passes on other client errors from middleware that are meant to be shown (415 charset)', () => {
    expect(answer(bodyParserError(415, 'unsupported charset "UTF-7"', 'charset.unsupported')).status).toBe(415);
  });

  it('still answers 500, saying nothing of it, for an error that is not the client’s', () => {
    expect(answer(Object.assign(new Error('connection refused at 10.0.0.3'), { status: 503, expose: true }))).toMatchObject({ status: 500, body: { error: 'internal-error' } });
    expect(answer(Object.assign(new Error('secret detail'), { status: 400, expose: false }))).toMatchObject({ status: 500 });
    expect(answer(new TypeError('x is undefined')).status).toBe(500);
    expect(answer('a string thrown').status).toBe(500);
  });

  it('keeps field-level rejections as they are', () => {
    const rejected = answer(new InputRejected('invalid-case-events', 'bad', [{ index: 0, errors: [{ path: '/type', reason: 'is required' }] }]));
    expect(rejected).toEqual({ status: 400, body: { error: 'invalid-case-events', message: 'bad', errors: [{ index: 0, errors: [{ path: '/type', reason: 'is required' }] }] } });
  });
});
