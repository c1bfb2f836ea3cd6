/**
 * The guard and the write budget on a small Nest application over HTTP, apart from the system:
 * what a route must declare, what a caller is told, and how writes are counted. (The system's own
 * endpoints are covered by test/e2e/access-control.e2e.spec.ts.)
 */
import { Controller, Get, Logger, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { bearer, TEST_JWT_SECRET } from '@cto/testing';
import { AccessControlModule } from './access-control.module';
import { CurrentPrincipal, Public, Roles, WriteRateLimited } from './decorators';
import type { Principal } from './principal';

@Public()
@Controller('health')
class ProbeController {
  @Get()
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Roles('reader')
@Controller('things')
class ThingsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  /** The handler's roles replace the controller's. */
  @Roles('manager', 'admin')
  @Post()
  change(): { changed: true } {
    return { changed: true };
  }

  @Roles('integration')
  @WriteRateLimited()
  @Post('writes')
  write(): { written: true } {
    return { written: true };
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get()
  open(): { open: true } {
    return { open: true };
  }
}

let app: INestApplication;
const warnings: string[] = [];

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AccessControlModule.forRoot({
        key: { algorithm: 'HS256', secret: new TextEncoder().encode(TEST_JWT_SECRET) },
        issuer: 'case-transfer-orchestration',
        audience: 'case-transfer-orchestration',
        ephemeral: false,
        rateLimitPerMinute: 3,
      }),
    ],
    controllers: [ProbeController, ThingsController, ForgottenController],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  await app.init();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await app?.close();
});

const http = () => request(app.getHttpServer());
const reader = bearer({ roles: ['reader'], authorities: ['kent'] });

describe('what a route declares', () => {
  it('@Public(): no token needed', async () => {
    await http().get('/health').expect(200, { status: 'ok' });
  });

  it('neither @Roles() nor @Public(): refused to everyone, even a token with every role, and warned about once', async () => {
    const everything = bearer({ roles: ['integration', 'manager', 'reader', 'admin'], authorities: ['kent'] });
    for (let i = 0; i < 3; i++) {
      const res = await http().get('/forgotten').set('authorization', everything).expect(403);
      expect(res.body).toEqual({ error: 'forbidden', message: 'this endpoint declares no roles, so nobody may call it' });
    }
    await http().get('/forgotten').expect(403);
    expect(warnings.filter((w) => w.includes('ForgottenController.open'))).toEqual(['ForgottenController.open has neither @Roles() nor @Public(): every request to it is refused']);
  });

  it('@Roles() on the handler replaces the controller’s', async () => {
    await http().post('/things').set('authorization', reader).expect(403);
    await http().post('/things').set('authorization', bearer({ roles: ['admin'], authorities: ['kent'] })).expect(201);
  });
});

describe('what a caller is told', () => {
  it('401 with a Bearer challenge when there is no token, or not a bearer one', async () => {
    const none = await http().get('/things').expect(401);
    expect(none.body).toMatchObject({ error: 'unauthorized', message: 'missing bearer token' });
    expect(none.headers['www-authenticate']).toBe('Bearer realm="case-transfer-orchestration"');
    const basic = await http().get('/things').set('authorization', 'Basic dXNlcjpwYXNz').expect(401);
    expect(basic.body.message).toBe('the Authorization header must be "Bearer <token>"');
  });

  it('401 invalid_token saying why, for a token that does not verify', async () => {
    const expired = await http().get('/things').set('authorization', bearer({ roles: ['reader'], authorities: ['kent'], expiresIn: -3600 })).expect(401);
    expect(expired.body).toMatchObject({ error: 'unauthorized', message: 'token expired' });
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="case-transfer-orchestration", error="invalid_token", error_description="token expired"');
    const forged = await http().get('/things').set('authorization', bearer({ roles: ['reader'], authorities: ['kent'], secret: 'f'.repeat(48) })).expect(401);
    expect(forged.body.message).toBe('signature invalid');
  });

  it('403 for a token with no role this system knows, or no authority, or the wrong role', async () => {
    const unknownRole = await http().get('/things').set('authorization', bearer({ roles: ['superuser'], authorities: ['kent'] })).expect(403);
    expect(unknownRole.body).toMatchObject({ error: 'forbidden', message: 'this token grants none of the roles integration, manager, reader, admin' });
    const noAuthority = await http().get('/things').set('authorization', bearer({ roles: ['reader'], authorities: [] })).expect(403);
    expect(noAuthority.body.message).toBe('this token is not scoped to any authority');
    const wrongRole = await http().get('/things').set('authorization', bearer({ roles: ['integration'], authorities: ['kent'] })).expect(403);
    expect(wrongRole.body.message).toBe('this endpoint needs the role reader');
  });

  it('the handler gets the verified principal', async () => {
    const res = await http().get('/things').set('authorization', bearer({ subject: 'dash-1', roles: ['reader', 'superuser'], authorities: ['kent', 'demo'] })).expect(200);
    expect(res.body).toEqual({ subject: 'dash-1', roles: ['reader'], authorities: ['kent', 'demo'] });
  });
});

describe('@WriteRateLimited()', () => {
  it('allows RATE_LIMIT_PER_MINUTE writes a minute per subject, then 429 saying when to retry; other subjects are not affected', async () => {
    const liberi = bearer({ subject: 'liberi', roles: ['integration'], authorities: ['kent'] });
    for (let i = 0; i < 3; i++) await http().post('/things/writes').set('authorization', liberi).expect(201);
    const refused = await http().post('/things/writes').set('authorization', liberi).expect(429);
    expect(refused.body).toMatchObject({ error: 'too-many-requests', message: expect.stringMatching(/^more than 3 writes a minute from this client; nothing of this request was recorded; retry after \d+ s$/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another token for the same subject shares the budget; another subject has its own.
    await http().post('/things/writes').set('authorization', bearer({ subject: 'liberi', roles: ['integration'], authorities: ['southampton'] })).expect(429);
    await http().post('/things/writes').set('authorization', bearer({ subject: 'mosaic', roles: ['integration'], authorities: ['kent'] })).expect(201);
  });

  it('counts only after authentication: a request without a token is 401, not a spent write', async () => {
    for (let i = 0; i < 5; i++) await http().post('/things/writes').expect(401);
    await http().post('/things/writes').set('authorization', bearer({ subject: 'careDirector', roles: ['integration'], authorities: ['kent'] })).expect(201);
  });
});
