import { Kafka } from 'cloudevents';
import { cloudEventHeadersFor } from './kafka-cloudevents';

describe('cloudEventHeadersFor (CloudEvents 1.0 Kafka binding, binary mode)', () => {
  const attributes = {
    id: 'evt-1',
    type: 'ICPCHeld',
    source: '/case-transfer-orchestration/kent',
    time: '2026-03-02T10:00:00+00:00',
    subject: 'child/kent/C-1029',
  };

  it('gives the ce_* headers DESIGN.md lists, and content-type, all strings, time as written', () => {
    expect(cloudEventHeadersFor(attributes)).toEqual({
      ce_specversion: '1.0',
      ce_id: 'evt-1',
      ce_type: 'ICPCHeld',
      ce_source: '/case-transfer-orchestration/kent',
      ce_time: '2026-03-02T10:00:00+00:00',
      ce_subject: 'child/kent/C-1029',
      'content-type': 'application/json',
    });
  });

  it('leaves out what the SDK adds against the binding: unset attributes, ce_partitionkey, ce_datacontenttype', () => {
    const headers = cloudEventHeadersFor({ id: 'e', type: 't', source: '/s', time: '2026-03-02T10:00:00Z' });
    expect(Object.keys(headers).sort()).toEqual(['ce_id', 'ce_source', 'ce_specversion', 'ce_time', 'ce_type', 'content-type']);
  });

  it('is read back by the SDK as the same event', () => {
    const event = Kafka.toEvent({ key: 'F-77', value: '{"n":1}', body: undefined, headers: cloudEventHeadersFor(attributes) } as Parameters<typeof Kafka.toEvent>[0]);
    expect(event).toMatchObject({ id: 'evt-1', type: 'ICPCHeld', source: attributes.source, subject: attributes.subject, datacontenttype: 'application/json' });
  });

  it.each([
    ['an empty id', { ...attributes, id: '' }, /id must be a non-empty string/],
    ['no time (the SDK would read the clock)', { ...attributes, time: undefined as unknown as string }, /time must be a non-empty string/],
    ['a time that is not RFC 3339', { ...attributes, time: '02/03/2026' }, /invalid payload/],
    ['a source that is not a URI-reference', { ...attributes, source: 'not a uri %%' }, /invalid payload/],
  ])('refuses %s', (_, bad, error) => {
    expect(() => cloudEventHeadersFor(bad)).toThrow(error);
  });
});
