import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@cto/access-control';
import { ChildQuery } from './children.controller';
import { ChildRecord } from './child-record';
import { Reporting, type EscalationView } from './reporting';

export class EscalationsQuery extends ChildQuery {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'], { message: 'must be open or resolved' })
  status?: 'open' | 'resolved';
}

/** Escalations on the authority's ladder (DESIGN.md "HTTP API"): `?status=open|resolved&authority=`, from the rm_escalations read model. */
@ApiTags('query')
@ApiBearerAuth()
@Roles('reader')
@Controller('v1/escalations')
export class EscalationsController {
  constructor(
    private readonly reporting: Reporting,
    private readonly record: ChildRecord,
  ) {}

  @Get()
  @ApiOperation({ summary: "Escalations on the authority's ladder" })
  async list(@Query() query: EscalationsQuery, @CurrentPrincipal() principal: Principal): Promise<{ authority: string; escalations: EscalationView[] }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { authority, escalations: await this.reporting.escalations(authority, query.status) };
  }
}
