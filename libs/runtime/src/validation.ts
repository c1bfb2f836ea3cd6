/**
 * class-validator for HTTP DTOs (query strings, small bodies), answering with the same
 * field-level shape as the case-event contracts: `{ path, reason }` for every bad field.
 *
 * Before class-validator sees anything, every path parameter, query value and DTO body passes the
 * guards case events pass (issue 15: a NUL in a path id, a lone surrogate or a 5,000-deep body
 * reached the store or the stack and answered 500). Case-event bodies are not DTOs: the contracts'
 * validator applies the same guards to them and reports them per event.
 */
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { isJsonObject, MAX_ERRORS_PER_EVENT, pointerTo, structuralProblems, type FieldError } from '@cto/contracts';
import { InputRejected } from './http-errors';

/**
 * Keys naming a member of Object.prototype (valueOf, toString, hasOwnProperty …): class-transformer
 * leaves them out of the DTO it builds, so `forbidNonWhitelisted` never sees them and a body with
 * `"valueOf": false` beside its good fields was accepted (found by http-inputs.fuzz.e2e.spec.ts,
 * FUZZ_SEED=2030202623). Refused like any unknown field, with the field named.
 */
const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

function prototypeMemberKeys(value: unknown, path: string): FieldError[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const at = pointerTo(path, key);
    return PROTOTYPE_MEMBERS.has(key) ? [{ path: at, reason: 'is not a field of this request (it names a member of Object.prototype)' }] : prototypeMemberKeys(v, at);
  });
}

/** C0 and C1 control characters: never part of an id, a code or a filter, and NUL cannot be stored. */
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F]/;

class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problems = this.guard(value, metadata);
    if (problems.length) throw new InputRejected('invalid-request', 'the request has invalid fields', problems);
    return super.transform(value, metadata);
  }

  private guard(value: unknown, metadata: ArgumentMetadata): FieldError[] {
    switch (metadata.type) {
      case 'param':
        return typeof value === 'string' ? textProblems(value, `/${metadata.data ?? ''}`) : [];
      case 'query':
        return isJsonObject(value) ? queryProblems(value) : [];
      case 'body':
        return this.toValidate(metadata) ? bodyProblems(value) : [];
      default:
        return [];
    }
  }
}

/** A path id: no control characters, and text the store can hold. */
function textProblems(text: string, path: string): FieldError[] {
  if (CONTROL_CHARACTER.test(text)) return [{ path, reason: 'must not contain control characters' }];
  return structuralProblems(text).map(({ reason }) => ({ path, reason }));
}

/**
 * A query string: the body's guards (a prototype key, which class-transformer would drop silently;
 * a lone surrogate), and no control characters in any value (a repeated parameter has several).
 */
function queryProblems(query: Record<string, unknown>): FieldError[] {
  const controls = Object.entries(query)
    .filter(([, value]) => [value].flat().some((text) => typeof text === 'string' && CONTROL_CHARACTER.test(text)))
    .map(([name]) => ({ path: pointerTo('', name), reason: 'must not contain control characters' }));
  const structural = structuralProblems(query);
  const refused = new Set(structural.map((problem) => problem.path));
  return [...structural, ...prototypeMemberKeys(query, '').filter((p) => !refused.has(p.path)), ...controls];
}

/**
 * A DTO body: a JSON object, with the case events' guards (forbidden keys, depth, lone surrogates)
 * and one rule for null: refused, with the field named. A field a client has nothing for is left
 * out; class-validator's @IsOptional would otherwise take null for "absent" on some fields and
 * not on others.
 */
function bodyProblems(body: unknown): FieldError[] {
  if (!isJsonObject(body)) return [{ path: '', reason: 'must be a JSON object' }];
  const structural = structuralProblems(body);
  const refused = new Set(structural.map((problem) => problem.path));
  const members = structural.length ? [] : prototypeMemberKeys(body, '').filter((p) => !refused.has(p.path));
  return [...structural, ...members, ...nullsIn(body, '', refused)].slice(0, MAX_ERRORS_PER_EVENT);
}

/** Every null in the body, except inside a part already refused (so the walk's depth is bounded too). */
function nullsIn(value: unknown, path: string, refused: ReadonlySet<string>): FieldError[] {
  if (refused.has(path)) return [];
  if (value === null) return [{ path, reason: 'must not be null: leave the field out instead' }];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => nullsIn(v, pointerTo(path, key), refused));
}

export const dtoValidationPipe = (): ValidationPipe =>
  new GuardedValidationPipe({
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
