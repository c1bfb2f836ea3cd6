import { AccessDenied } from './access-errors';
import type { Principal } from './principal';
import { assertCaseEventsInScope, assertMayAccess } from './tenant-scope';

const kentIntegration: Principal = { subject: 'liberi-kent', roles: ['integration'], authorities: ['kent'] };

const bodyOf = (fn: () => void): unknown => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AccessDenied) return error.getResponse();
    throw error;
  }
  return undefined;
};

describe('assertMayAccess', () => {
  it('passes for an authority in the token, and refuses another with 403 naming it', () => {
    expect(() => assertMayAccess(kentIntegration, 'kent')).not.toThrow();
    expect(bodyOf(() => assertMayAccess(kentIntegration, 'southampton'))).toEqual({ error: 'forbidden', message: 'this token is not scoped to authority southampton' });
  });
});

describe('assertCaseEventsInScope', () => {
  it('names every envelope of another authority by index, single or batched', () => {
    const batch = [{ authority: 'kent' }, { authority: 'southampton' }, { authority: 'kent' }, { authority: 'demo' }];
    expect(bodyOf(() => assertCaseEventsInScope(kentIntegration, batch))).toEqual({
      error: 'forbidden',
      message: 'some case events are for authorities this token is not scoped to; none of this request was recorded',
      errors: [
        { index: 1, path: '/authority', reason: 'this token is not scoped to authority southampton' },
        { index: 3, path: '/authority', reason: 'this token is not scoped to authority demo' },
      ],
    });
    expect(bodyOf(() => assertCaseEventsInScope(kentIntegration, { authority: 'southampton' }))).toMatchObject({ errors: [{ index: 0 }] });
  });

  it('leaves envelopes that name no authority id to contract validation (400), and passes its own', () => {
    expect(() => assertCaseEventsInScope(kentIntegration, [{ authority: 'kent' }, {}, null, 'x', { authority: 42 }, { authority: 'Not_An_Id' }])).not.toThrow();
    expect(() => assertCaseEventsInScope(kentIntegration, 'hello')).not.toThrow();
  });
});
