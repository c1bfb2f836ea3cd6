/**
 * The dashboard page (GET /dashboard) in headless Chromium, against the embedded system over real
 * HTTP (DESIGN.md "Testing": "the dashboard in headless Chromium (playwright-core with Debian's
 * chromium)"). Two tenants' data is posted through the API on dates the admin clock pins: in kent
 * a transfer left waiting until it is overdue, one disputed (an open escalation), one accepted and
 * completed; in southampton one proposed. Then a person's path through the page: a token for both
 * authorities, an authority chosen, the waiting and overdue counts, escalations by rung, the
 * chart, the filtered table, a child's record with its citations. A kent-only token never sees
 * southampton; a refused token says so on the page.
 *
 * Chromium is Debian's (/usr/bin/chromium; `apt-get install chromium`), driven by playwright-core,
 * so nothing is downloaded. Missing, it fails here (and throws in CI): a browser test never skips.
 */
import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { ROLES } from '@cto/access-control';
import { createEmbeddedApp } from '@cto/embedded';
import { loadConfig } from '@cto/runtime';
import { bearer, clockAdmin, envelopeMaker, testAuthEnv, testToken } from '@cto/testing';

jest.setTimeout(60000);

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const INSTALL_HINT = `Chromium is not installed at ${CHROMIUM}: the dashboard's browser test needs Debian's chromium (sudo apt-get install chromium).`;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(INSTALL_HINT);

/**
 * The little of the DOM that the checks run inside the page read. This project compiles without
 * lib.dom (its code runs in Node), so it is declared here, for this file only; callbacks given to
 * evaluate run in the page, so they cast inline rather than call a helper of this file.
 */
interface PageNode {
  id: string;
  tagName: string;
  textContent: string | null;
  outerHTML: string;
  value: string;
  cells: ArrayLike<PageNode>;
  labels: ArrayLike<PageNode> | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageNode | null;
}
declare const document: { documentElement: { lang: string }; activeElement: PageNode | null };
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { length: number };

const SCREENSHOT = resolve(__dirname, '../../test-results/dashboard.png');

if (!hasChromium) {
  it('needs Chromium at /usr/bin/chromium', () => {
    throw new Error(INSTALL_HINT);
  });
} else {
  describe('the dashboard in headless Chromium', dashboardSuite);
}

function dashboardSuite(): void {
  const dirs: string[] = [];
  let app: INestApplication;
  let baseUrl: string;
  let browser: Browser;

  /** Seeds the data; every role, both authorities (access control has its own spec). */
  const SEED = bearer({ roles: [...ROLES], authorities: ['kent', 'southampton'] });
  /** What a person pastes into the page: a raw JWT, reader only. */
  const BOTH = testToken({ roles: ['reader'], authorities: ['kent', 'southampton'], subject: 'dashboard-both' });
  const KENT_ONLY = testToken({ roles: ['reader'], authorities: ['kent'], subject: 'dashboard-kent' });
  const EXPIRED = testToken({ roles: ['reader'], authorities: ['kent', 'southampton'], expiresIn: -60 });

  const http = () => request.agent(app.getHttpServer()).set('authorization', SEED);
  const envelope = envelopeMaker('db', 'liberi');
  const setClock = (now: string) => request(app.getHttpServer()).post('/v1/admin/clock').set('authorization', clockAdmin()).send({ now }).expect(200);

  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 20000;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Posts the facts and waits for the child's proposal; returns its transfer id. */
  async function proposal(authority: string, childId: string, facts: [string, string, object][]): Promise<string> {
    await http()
      .post('/v1/case-events')
      .send(facts.map(([type, at, data]) => envelope(authority, childId, type, at, data)))
      .expect(202);
    const [transfer] = await eventually(
      async () => ((await http().get(`/v1/children/${childId}/transfers?authority=${authority}`)).body.transfers ?? []) as { transferId: string }[],
      (t) => t.length > 0,
      `a proposal for ${childId}`,
    );
    return transfer.transferId;
  }

  /** Case data that would be markup if the page ever inserted data as HTML. */
  const HOSTILE_REASON = '<img src=x onerror="document.title=1">the placement is <b>short term</b>';

  const referredToCswt: [string, string, object][] = [
    ['ReferralReceived', '2026-05-01T09:00:00+01:00', { referralSource: 'school' }],
    ['WorkerAllocated', '2026-05-01T09:00:00+01:00', { team: 'CSWT', workerId: 'W-1' }],
  ];
  // kent 003 §6 (CSWT → CIC): a child accommodated under s20 for more than four weeks; no due date.
  const accommodated: [string, string, object][] = [...referredToCswt, ['ChildAccommodated', '2026-05-04T10:00:00+01:00', { legalBasis: 's20', expectedDurationWeeks: 8 }]];
  // kent 003 §6 (CSWT → AST): exploitation the predominant need of a child of 13 or more, within 10
  // working days of the assessment (Monday 4 May 2026 is a bank holiday: due Tuesday 19 May).
  const exploited: [string, string, object][] = [
    ['ChildDetailsRecorded', '2026-05-01T09:00:00+01:00', { dateOfBirth: '2012-01-15' }],
    ...referredToCswt,
    ['AssessmentCompleted', '2026-05-05T10:00:00+01:00', { assessment: 'child-and-family', outcome: 'child-in-need', primaryIssue: 'child-exploitation' }],
  ];

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cto-dashboard-'));
    dirs.push(dataDir);
    app = await createEmbeddedApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '50', ...testAuthEnv() }));
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    await setClock('2026-05-05T11:00:00Z');
    const waiting = await proposal('kent', 'K-WAIT', exploited);
    const done = await proposal('kent', 'K-DONE', exploited);
    const disputed = await proposal('kent', 'K-DISPUTE', accommodated);
    const rejected = await proposal('kent', 'K-REJECT', exploited);
    // southampton 004 CRS 1: an early-help decision at the front door is the transfer itself.
    const late = await proposal('southampton', 'S-1', [
      ['ReferralReceived', '2026-05-05T09:00:00+01:00', { referralSource: 'school' }],
      ['ThresholdDecisionMade', '2026-05-05T10:00:00+01:00', { decision: 'early-help' }],
    ]);
    await http().post(`/v1/transfers/${disputed}/dispute`).send({ reason: HOSTILE_REASON }).expect(200);
    await http().post(`/v1/transfers/${rejected}/reject`).send({ reason: 'the assessment is being redone' }).expect(200);
    await setClock('2026-05-12T11:00:00Z');
    await http().post(`/v1/transfers/${done}/accept`).send({}).expect(200);
    await http().post(`/v1/transfers/${done}/complete`).send({}).expect(200);
    // Weeks later: K-WAIT and S-1 are past their due dates and nobody has acted on them.
    await setClock('2026-07-01T11:00:00Z');
    for (const [authority, transferId] of [['kent', waiting], ['southampton', late]]) {
      await eventually(
        async () => (await http().get(`/v1/transfers?authority=${authority}&overdue=true`)).body.transfers as { transferId: string }[],
        (rows) => rows.some((t) => t.transferId === transferId),
        `${transferId} overdue`,
      );
    }
    await eventually(
      async () => (await http().get('/v1/escalations?authority=kent&status=open')).body.escalations as { reason: string }[],
      (rows) => rows.some((e) => e.reason === 'disputed'),
      'the kent dispute escalated',
    );

    // chromium.launch gives every run a fresh, temporary user-data dir, removed when it closes.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Retries the read until the expectation holds (the page answers asynchronously), for up to 10 s. */
  async function settled<T>(read: () => Promise<T>, check: (value: T) => void): Promise<void> {
    const deadline = Date.now() + 10000;
    for (;;) {
      const value = await read();
      try {
        check(value);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A new tab in a new browser context: its own, empty sessionStorage. */
  async function openDashboard(): Promise<{ page: Page; csp: string | undefined }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/dashboard`);
    expect(response?.status()).toBe(200);
    return { page, csp: response?.headers()['content-security-policy'] };
  }

  async function enterToken(page: Page, token: string): Promise<void> {
    await page.getByLabel(/Bearer token/).fill(token);
    await page.getByRole('button', { name: 'Use this token' }).click();
  }

  const optionsOf = (page: Page, label: string) => page.getByLabel(label, { exact: true }).locator('option').evaluateAll((options) => options.map((o) => (o as unknown as PageNode).value));
  const rowsOf = (page: Page, tableId: string) =>
    page.locator(`#${tableId} tbody tr`).evaluateAll((rows) => rows.map((r) => Array.from((r as unknown as PageNode).cells).map((c) => (c.textContent ?? '').trim())));

  it('is public, carries no data, and allows only its own scripts and styles', async () => {
    const page = await request(app.getHttpServer()).get('/dashboard').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.text).not.toMatch(/<script>|\sstyle=|\son[a-z]+=/);
    await request(app.getHttpServer()).get('/dashboard/dashboard.js').expect(200).expect('content-type', /javascript/);
    await request(app.getHttpServer()).get('/dashboard/dashboard.css').expect(200).expect('content-type', /css/);
  });

  it('shows a manager the waiting and overdue transfers, escalations, the chart, the filtered table and a child’s decisions with citations', async () => {
    const { page, csp } = await openDashboard();
    expect(csp).toContain("script-src 'self'");
    const consoleErrors: string[] = [];
    // The browser's own request for /favicon.ico (404) is not the page's doing.
    page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && consoleErrors.push(`${m.text()} (${m.location().url})`));
    const requests: { url: string; authorization?: string }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), authorization: r.headers()['authorization'] }));

    await enterToken(page, BOTH);
    await settled(() => optionsOf(page, 'Authority'), (v) => expect(v).toEqual(['kent', 'southampton']));
    await page.getByLabel('Authority', { exact: true }).selectOption('kent');
    await settled(() => page.locator('#status').textContent(), (v) => expect(v).toBe('Showing kent.'));

    // Waiting and overdue, by receiving team: K-WAIT (overdue) for AST, K-DISPUTE (no due date) for CIC.
    expect(await rowsOf(page, 'waiting-table')).toEqual([
      [expect.stringMatching(/^AST \(/), '1', '1'],
      [expect.stringMatching(/^CIC \(/), '1', '0'],
    ]);
    expect(await page.locator('#waiting-total').textContent()).toBe('2 waiting, 1 overdue.');

    // Open escalations by rung, with the ladder's role and whoever else the rung told: the dispute among them.
    const escalations = await rowsOf(page, 'escalations-table');
    expect(escalations.length).toBeGreaterThan(0);
    const openEscalations = (await http().get('/v1/escalations?authority=kent&status=open')).body.escalations as { rung: number; role: string; alsoTold?: string[] }[];
    for (const [rung, role, alsoTold, open] of escalations) {
      expect(rung).toMatch(/^\d+$/);
      expect(role).not.toBe('');
      expect(Number(open)).toBeGreaterThan(0);
      const told = [...new Set(openEscalations.filter((e) => e.rung === Number(rung) && e.role === role).flatMap((e) => e.alsoTold ?? []))].sort();
      expect(alsoTold).toBe(told.length ? told.join(', ') : '—');
    }
    // The dispute is over a child accommodated (looked after): its rung told the IRO (003 §4).
    expect(escalations.some(([, , alsoTold]) => alsoTold.includes('Independent Reviewing Officer'))).toBe(true);
    expect(escalations.reduce((sum, [, , , open]) => sum + Number(open), 0)).toBe(openEscalations.length);
    expect(escalations.map(([rung]) => Number(rung))).toEqual([...new Set(openEscalations.map((e) => e.rung))].sort((a, b) => a - b));

    // The chart: an SVG with a text alternative, and the same figures as a table. K-DONE took 5
    // working days (Tuesday 5 to Tuesday 12 May) against the rule's 10.
    const chart = page.getByRole('img', { name: /Working days to complete a transfer, per route/ });
    await settled(() => chart.count(), (v) => expect(v).toBe(1));
    expect(await chart.getAttribute('aria-label')).toContain('CSWT to AST: median 5, 90th percentile 5 working days, target 10');
    expect(await page.locator('#chart-svg svg .target').count()).toBe(1);
    expect(await rowsOf(page, 'chart-table')).toEqual([
      ['CSWT → AST', 'exploitation-assessment-to-ast', '1', '5', '5', '10 working days', '1'],
      ['CSWT → CIC', 'section-20-expected-over-four-weeks-to-cic', '0', '—', '—', 'none stated', '—'],
    ]);

    // The table, filtered by form controls that query the API again.
    const tableChildren = async () => (await rowsOf(page, 'transfers-table')).map((cells) => cells[0]).sort();
    const filter = async (status: string, team: string, overdue: string, expected: string[]) => {
      await page.getByLabel('Status', { exact: true }).selectOption(status);
      await page.getByLabel(/^Team/).selectOption(team);
      await page.getByLabel('Overdue', { exact: true }).selectOption(overdue);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await settled(tableChildren, (v) => expect(v).toEqual(expected));
    };
    expect(await tableChildren()).toEqual(['K-DISPUTE', 'K-DONE', 'K-REJECT', 'K-WAIT']);
    await filter('proposed', '', '', ['K-WAIT']);
    await filter('', '', 'false', ['K-DISPUTE', 'K-DONE', 'K-REJECT']);
    await filter('', '', 'true', ['K-WAIT']);
    expect(await rowsOf(page, 'transfers-table')).toEqual([['K-WAIT', 'CSWT', 'AST', 'proposed', '2026-05-19', 'Yes', expect.stringContaining('003_fbe064539c50cc36.txt'), '—']]);
    // A closed transfer says why, with the paragraph behind it.
    await filter('rejected', '', '', ['K-REJECT']);
    expect(await rowsOf(page, 'transfers-table')).toEqual([
      ['K-REJECT', 'CSWT', 'AST', 'rejected', '2026-05-19', 'No', expect.stringContaining('003_fbe064539c50cc36.txt'), expect.stringMatching(/^the assessment is being redone \(003_fbe064539c50cc36\.txt/)],
    ]);
    await filter('', 'AST', '', ['K-DONE', 'K-REJECT', 'K-WAIT']);

    // A child's record, opened from the keyboard: the decisions with their citations.
    await page.getByRole('button', { name: 'Open the record of child K-DONE' }).focus();
    await page.keyboard.press('Enter');
    await settled(() => page.locator('#child-heading').textContent(), (v) => expect(v).toBe('Child K-DONE'));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('child-heading');
    const decisions = await page.locator('#child-decisions > li').allTextContents();
    expect(decisions.some((d) => d.startsWith('TransferProposed') && d.includes('003_fbe064539c50cc36.txt'))).toBe(true);
    expect(decisions.some((d) => d.startsWith('TransferCompleted'))).toBe(true);
    expect(await rowsOf(page, 'child-transfers')).toEqual([['CSWT', 'AST', 'completed', '2026-05-19', 'exploitation-assessment-to-ast', expect.stringContaining('003_fbe064539c50cc36.txt')]]);
    expect((await page.locator('#child-explanation').textContent()) ?? '').toContain('003_fbe064539c50cc36.txt');

    // Accessibility: one h1, no heading level skipped, every control named.
    const headings = await page.locator('h1, h2, h3, h4').evaluateAll((hs) => hs.filter((h) => !(h as unknown as PageNode).closest('[hidden]')).map((h) => Number((h as unknown as PageNode).tagName[1])));
    expect(headings.filter((level) => level === 1)).toHaveLength(1);
    expect(headings[0]).toBe(1);
    headings.forEach((level, i) => i > 0 && expect(level - headings[i - 1]).toBeLessThanOrEqual(1));
    const unnamed = await page.locator('input, select, button').evaluateAll((controls) =>
      controls
        .filter((c) => {
          const control = c as unknown as PageNode;
          const name = control.getAttribute('aria-label') || (control.labels && Array.from(control.labels).map((l) => l.textContent).join('')) || (control.tagName === 'BUTTON' ? control.textContent : '');
          return !(name ?? '').trim();
        })
        .map((c) => c.outerHTML),
    );
    expect(unnamed).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Southampton: the same page, another tenant's data, and no kent child in it.
    await page.getByLabel('Authority', { exact: true }).selectOption('southampton');
    await settled(() => page.locator('#status').textContent(), (v) => expect(v).toBe('Showing southampton.'));
    await settled(tableChildren, (v) => expect(v).toEqual(['S-1']));

    // The token: in this tab's sessionStorage only, sent as a bearer header to /v1, never in a URL.
    expect(await page.evaluate(() => ({ session: sessionStorage.getItem('cto.dashboard.token'), local: localStorage.length }))).toEqual({ session: BOTH, local: 0 });
    const apiCalls = requests.filter((r) => new URL(r.url).pathname.startsWith('/v1/'));
    expect(apiCalls.length).toBeGreaterThan(5);
    expect(apiCalls.every((r) => r.authorization === `Bearer ${BOTH}`)).toBe(true);
    expect(requests.some((r) => r.url.includes(BOTH))).toBe(false);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('never lists an authority the token is not scoped to', async () => {
    const { page } = await openDashboard();
    await enterToken(page, KENT_ONLY);
    await settled(() => page.locator('#status').textContent(), (v) => expect(v).toBe('Showing kent.'));
    expect(await optionsOf(page, 'Authority')).toEqual(['kent']);
    expect(await page.locator('body').textContent()).not.toMatch(/southampton|S-1/);

    // Case data stays text: the dispute's reason is shown as typed, and makes no element.
    await page.getByRole('button', { name: 'Open the record of child K-DISPUTE' }).click();
    await settled(() => page.locator('#child-heading').textContent(), (v) => expect(v).toBe('Child K-DISPUTE'));
    expect(await page.locator('#child-decisions').textContent()).toContain(HOSTILE_REASON);
    expect(await page.locator('#child img, #child b').count()).toBe(0);
    expect(await page.title()).toBe('Case transfers dashboard');
    await page.context().close();
  });

  it('says clearly on the page when the API refuses the token', async () => {
    const { page } = await openDashboard();
    await enterToken(page, EXPIRED);
    const alert = page.getByRole('alert');
    await settled(() => alert.textContent(), (v) => expect(v).toMatch(/^The API refused the token \(401 Unauthorized\): token expired\. Enter a valid, unexpired token\.$/));
    expect(await alert.isVisible()).toBe(true);
    expect(await page.locator('#transfers').isVisible()).toBe(false);
    await page.context().close();
  });
}
