/**
 * A small policy pack for the core's unit tests: teams A, B and 18+; a transfer point A → B on an
 * ICPC (10 working days) and B → 18+ at 17½ (by the 18th birthday); a two-item checklist and an
 * 18+ one; a three-rung ladder (disputes enter at rung 2, capacity at 3); a front-door deadline; a
 * 17½ milestone announced a month ahead. Small enough to reason about by hand, so a test can say
 * exactly what each decision should be. Here rather than in libs/testing, which depends on the core:
 * the core's own tests importing it would make a cycle. Not exported from the core's index.
 */
import type { PolicyPack } from '../policy/policy-pack';

export const smallPack = (over: Partial<PolicyPack> = {}): PolicyPack => ({
  id: 'supervision-test',
  version: '1',
  title: 'supervision test',
  source: 'seed.txt',
  authorities: ['demo'],
  teams: ['A', 'B', '18+'].map((code) => ({ code, name: code, managerRole: code })),
  frontDoor: { team: 'A' },
  meetingKinds: [],
  nonWorkingDays: [],
  notEncoded: [],
  rules: [
    {
      id: 'cp-to-b',
      version: 1,
      title: 'cp plan to B',
      citation: 'seed.txt ¶12',
      from: ['A'],
      to: 'B',
      when: { events: ['ICPCHeld'], conditions: [] },
      unless: [],
      handover: { description: '10 working days', within: '10 working days', after: 'trigger' },
      priority: 0,
    },
    {
      id: 'leaving-care',
      version: 1,
      title: 'to 18+ at 17½',
      citation: 'seed.txt ¶20',
      from: ['B'],
      to: '18+',
      when: { events: ['BirthdayApproaching'], conditions: [{ fact: 'event.ageYears', in: [17.5] }] },
      unless: [],
      handover: { description: 'the 18th birthday', before: { age: '18 years' } },
      priority: 0,
    },
  ],
  checklists: {
    gating: 'non-blocking-escalate',
    citation: 'seed.txt ¶2',
    templates: [
      {
        id: 'standards',
        title: 'standards',
        citation: 'seed.txt ¶3',
        appliesTo: {},
        items: [
          { id: 'chronology', description: 'chronology up to date' },
          { id: 'letter-to-family', description: 'letter to the family', due: { within: '2 working days', after: 'handover' } },
        ],
      },
      { id: 'to-18-plus', title: '18+', citation: 'seed.txt ¶21', appliesTo: { to: ['18+'] }, items: [{ id: 'ni-number', description: 'NI number' }] },
    ],
  },
  escalation: {
    citation: 'seed.txt ¶14',
    ladder: [
      { role: 'team manager', within: '1 working day' },
      { role: 'service manager', within: '1 working day' },
      { role: 'assistant director' },
    ],
    entry: { disputed: 2, capacity: 3 },
    namedWorker: { within: '1 working day', citation: 'seed.txt ¶9' },
  },
  deadlines: [
    {
      id: 'front-door-decision',
      title: 'a decision within 1 working day of the referral',
      citation: 'seed.txt ¶5',
      starts: { events: ['ReferralReceived'], conditions: [] },
      metBy: { events: ['ThresholdDecisionMade'] },
      within: '1 working day',
    },
  ],
  ageMilestones: [{ ageYears: 17.5, ahead: '1 month', citation: 'seed.txt ¶20' }],
  ...over,
});
