/**
 * class-validator for HTTP DTOs (query strings, small bodies), answering with the same
 * field-level shape as the case-event contracts: `{ path, reason }` for every bad field.
 */
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InputRejected } from './http-errors';

export const dtoValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) =>
      new InputRejected(
        'invalid-request',
        'the request has invalid fields',
        flatten(errors).map(({ path, reason }) => ({ path, reason })),
      ),
  });

function flatten(errors: ValidationError[], prefix = ''): { path: string; reason: string }[] {
  return errors.flatMap((e) => {
    const path = `${prefix}/${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ path, reason }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
