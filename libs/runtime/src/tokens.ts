/** Injection tokens, in one file (STYLE.md, NestJS sample 03-microservices). */
export const CONFIG = Symbol('CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const CLOCK = Symbol('CLOCK');
export const PACK_REGISTRY = Symbol('PACK_REGISTRY');
export const CASE_EVENT_VALIDATOR = Symbol('CASE_EVENT_VALIDATOR');
/** Nudges store subscriptions when something was appended, so they need not wait for the next poll. */
export const STORE_WAKE = Symbol('STORE_WAKE');
/** Emitted on STORE_WAKE when the admin clock moves: durable timers may be due now. */
export const CLOCK_SET = 'clock-set';
/** This application's Prometheus registry and counters (one per app, not prom-client's global). */
export const METRICS = Symbol('METRICS');
