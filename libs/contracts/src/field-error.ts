import type { ErrorObject } from 'ajv/dist/2020';

/**
 * One problem with one field of an incoming event: the same shape in a 400 body and in a
 * dead-letter record (STYLE.md "Errors"). `path` is a JSON Pointer into the event ("/data/outcome",
 * "/childId"); "" is the event as a whole.
 */
export interface FieldError {
  /** The event's id, when it has a usable one. */
  eventId?: string;
  path: string;
  /** Plain English, e.g. "is required", "must be one of: cp-plan, cin-plan, no-further-action". */
  reason: string;
}

/** A result of validating one event or record. */
export type Validation<T> = { ok: true; event: T } | { ok: false; errors: FieldError[] };

/** Enough problems to fix a request; more only helps someone probing the edge. */
export const MAX_ERRORS_PER_EVENT = 100;

/** RFC 6901: '~' and '/' inside a key are escaped in a JSON Pointer. */
export function pointerTo(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Echo a caller's value inside a reason safely: short, and with control characters escaped. */
export function quoted(value: string, max = 60): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return `'${JSON.stringify(shown).slice(1, -1)}'`;
}

// Plain-English readings of the patterns the schemas in contracts/events use. A pattern not listed
// here is still reported, with the pattern itself as the reason.
const PATTERN_REASONS: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9._:-]*$': "must contain only letters, digits, '.', '_', ':' and '-', and start with a letter or digit",
  '^[a-z0-9][a-z0-9-]{0,62}$': "must be 1 to 63 lower-case letters, digits and '-', starting with a letter or digit",
  '^[^\\s\\u0000-\\u001F\\u007F-\\u009F](?:[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F])?$':
    'must be one line, without control characters or leading or trailing spaces',
  '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$': 'must not contain control characters',
  '^[A-Z][A-Za-z0-9]*(?:\\.v[1-9][0-9]*)?$': 'must be an event type name, e.g. ICPCHeld or ICPCHeld.v2',
};

const FORMAT_REASONS: Record<string, string> = {
  date: 'is not a real date (YYYY-MM-DD)',
  'date-time': 'is not a date-time with seconds and an offset (YYYY-MM-DDThh:mm:ss±hh:mm or …Z)',
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/**
 * Translates ajv's errors into field errors. `prefix` places them inside the event (a data schema
 * reports "/outcome"; in the envelope that is "/data/outcome").
 */
export function fieldErrorsFromAjv(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? []).flatMap((error) => {
    const at = prefix + error.instancePath;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        return [{ path: pointerTo(at, String(params.missingProperty)), reason: 'is required' }];
      case 'additionalProperties':
        return [{ path: pointerTo(at, String(params.additionalProperty)), reason: 'is not an allowed field' }];
      case 'unevaluatedProperties':
        return [{ path: pointerTo(at, String(params.unevaluatedProperty)), reason: 'is not an allowed field' }];
      case 'pattern': {
        // A date-time's pattern spells its format: the format's reason (finishErrors keeps one copy).
        const parent = error.parentSchema as { format?: string } | undefined;
        if (parent?.format !== undefined && FORMAT_REASONS[parent.format] !== undefined) {
          return [{ path: at, reason: FORMAT_REASONS[parent.format] }];
        }
        // "" refused, in words a person reads; where minLength says the same, finishErrors keeps one.
        if (error.data === '') return [{ path: at, reason: 'must not be empty' }];
        const pattern = String(params.pattern);
        return [{ path: at, reason: PATTERN_REASONS[pattern] ?? `must match the pattern ${pattern}` }];
      }
      default:
        return [{ path: at, reason: reasonFor(error, params) }];
    }
  });
}

function reasonFor(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return `must be ${types.map((t: string) => TYPE_NAMES[t] ?? t).join(' or ')}`;
    }
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${String(params.allowedValue)}`;
    case 'format':
      return FORMAT_REASONS[String(params.format)] ?? `is not a valid ${String(params.format)}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minimum':
      return `must be at least ${String(params.limit)}`;
    case 'maximum':
      return `must be at most ${String(params.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(params.multipleOf)}`;
    case 'minItems':
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    default:
      return error.message ?? `fails the ${error.keyword} check`;
  }
}

/**
 * Puts one event's problems together: the structural ones (a forbidden key, a nest too deep) first,
 * then the schema's, leaving out what the schema says inside a part already reported as unusable.
 * Drops repeats, caps the list and stamps the event id.
 */
export function finishErrors(structural: readonly FieldError[], schema: readonly FieldError[], eventId: string | undefined): FieldError[] {
  const covered = structural.map((error) => error.path);
  const inCovered = (path: string) => covered.some((c) => path === c || path.startsWith(`${c}/`));
  const seen = new Set<string>();
  const kept: FieldError[] = [];
  for (const error of [...structural, ...schema.filter((e) => !inCovered(e.path))]) {
    const key = `${error.path}\u0000${error.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(error);
  }
  const capped =
    kept.length > MAX_ERRORS_PER_EVENT
      ? [
          ...kept.slice(0, MAX_ERRORS_PER_EVENT - 1),
          { path: '', reason: `has ${kept.length} problems; the first ${MAX_ERRORS_PER_EVENT - 1} are listed` },
        ]
      : kept;
  return capped.map((error) => (eventId === undefined ? error : { eventId, ...error }));
}

/**
 * The verdict on one event or record: ajv's (and the structural checks'), never read from the shaped
 * errors, which only reword it (issue 15: shaping once dropped ajv's error on "" and so accepted it).
 * Should shaping ever leave nothing to say, the refusal still stands, for the event as a whole.
 */
export function judged<T>(valid: boolean, errors: FieldError[], input: unknown, eventId: string | undefined): Validation<T> {
  if (valid) return { ok: true, event: input as T };
  if (errors.length > 0) return { ok: false, errors };
  const reason = 'does not match its schema';
  return { ok: false, errors: [eventId === undefined ? { path: '', reason } : { eventId, path: '', reason }] };
}

/** Drops ajv's complaints about `type` (its enum listing); "is required" stays. */
export function withoutTypeErrors(errors: readonly FieldError[]): FieldError[] {
  return errors.filter((e) => e.path !== '/type' || e.reason === 'is required');
}

export function unknownTypeReason(kind: string, type: unknown, known: readonly string[]): string {
  return typeof type === 'string'
    ? `unknown ${kind} type ${quoted(type)}: expected one of ${known.join(', ')}`
    : `must be a string naming the ${kind} type, one of ${known.join(', ')}`;
}
