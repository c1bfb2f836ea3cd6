import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cto/access-control';
import type { Metrics } from './metrics';
import { METRICS } from './tokens';

/**
 * Prometheus scrapes with a bearer token (reader or admin). Samples labelled with an authority are
 * shown only for the token's authorities, so a tenant's token does not count another tenant's cases.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('reader', 'admin')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format, version 0.0.4', schema: { type: 'string' } })
  scrape(@CurrentPrincipal() principal: Principal): Promise<string> {
    return this.metrics.scrape(principal.authorities);
  }
}
