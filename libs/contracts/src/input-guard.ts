import { pointerTo, type FieldError } from './field-error';

/** Keys that could reach an object's prototype if someone later merges the input into an object. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** No event needs more than four levels; ten leaves room and stops pathological nests early. */
export const MAX_DEPTH = 10;

export type JsonObject = Record<string, unknown>;

/**
 * A plain object as JSON.parse makes it (not an array, not a class instance, not a Map or Date).
 * Its prototype is null or some realm's Object.prototype: input parsed in another realm (a vm
 * context, a test runner's sandbox) is still plain.
 */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    proto === null ||
    (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]')
  );
}

/**
 * Problems the schemas cannot express, found before (and reported beside) theirs: forbidden keys
 * anywhere, nesting deeper than MAX_DEPTH, objects that are not plain JSON, text the store cannot hold. The walk never goes
 * below MAX_DEPTH, so a cyclic or very deep input cannot exhaust the stack.
 */
export function structuralProblems(input: unknown): FieldError[] {
  const problems: FieldError[] = [];
  inspect(input, '', 1, problems);
  return problems;
}

/*
 * Text PostgreSQL cannot store (found by test/e2e/case-events.fuzz.e2e.spec.ts): a lone UTF-16
 * surrogate, which JSON.stringify writes as a \udXXX escape that jsonb refuses. The schemas'
 * patterns cannot say "no lone surrogate", so a free-text field such as CaseClosed.reason accepted
 * one and the store's insert failed: a 500 over HTTP, and on Kafka a crashing handler retried until
 * it was dead-lettered without a field-level reason. Checked on every string and every key, before
 * the schemas. (U+0000, the other character jsonb refuses, is already excluded by every pattern.)
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

function unstorableTextReason(text: string): string | undefined {
  return LONE_SURROGATE.test(text) ? 'is not valid Unicode text (it contains a lone surrogate)' : undefined;
}

function inspect(value: unknown, path: string, depth: number, problems: FieldError[]): void {
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    if (reason) problems.push({ path, reason });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_DEPTH) {
    problems.push({ path, reason: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => inspect(item, pointerTo(path, i), depth + 1, problems));
    return;
  }
  if (!isJsonObject(value)) {
    problems.push({ path, reason: 'must be a plain JSON object' });
    return;
  }
  for (const key of Object.keys(value)) {
    const at = pointerTo(path, key);
    const keyReason = unstorableTextReason(key);
    if (FORBIDDEN_KEYS.includes(key)) {
      problems.push({ path: at, reason: `is a forbidden key (${FORBIDDEN_KEYS.join(', ')} are never accepted)` });
    } else if (keyReason) {
      problems.push({ path: at, reason: `the field name ${keyReason}` });
    } else {
      inspect(value[key], at, depth + 1, problems);
    }
  }
}
