/**
 * Access control for every HTTP endpoint of a process: bearer tokens verified, roles and the
 * route's declaration checked by one global guard, and the write budget. Imported once, by the
 * runtime module every process is built on.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard } from './access.guard';
import { ACCESS_CONTROL_SETTINGS, type AccessControlSettings } from './access-settings';
import { TokenVerifier } from './token-verifier';
import { WriteThrottlerGuard } from './write-throttler.guard';

const MINUTE_MS = 60_000;

@Module({})
export class AccessControlModule {
  static forRoot(settings: AccessControlSettings): DynamicModule {
    return {
      module: AccessControlModule,
      global: true,
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: MINUTE_MS, limit: settings.rateLimitPerMinute }] })],
      providers: [
        { provide: ACCESS_CONTROL_SETTINGS, useValue: settings },
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(settings) },
        { provide: APP_GUARD, useClass: AccessGuard },
        WriteThrottlerGuard,
      ],
      exports: [ACCESS_CONTROL_SETTINGS, TokenVerifier, WriteThrottlerGuard],
    };
  }
}
