// The pure core: no framework, no IO, no system clock (lint enforces it).
export * from './calendar';
export * from './events/case-events';
export * from './events/decision-events';
export * from './child/child-state';
export * from './child/stream-id';
export * from './policy/policy-pack';
export * from './policy/engine';
export * from './policy/validate-pack';
export * from './policy/facts';
export { dueByForHandoverPoint, meetingsOf } from './policy/handover';
export type { ConditionResult } from './policy/conditions';
export * from './policy/explain';
export * from './transfer/lifecycle';
export * from './transfer/checklists';
export * from './escalation/supervision';
export * from './transfer/siblings';
export * from './policy/backtest';
