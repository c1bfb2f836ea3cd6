import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cto/access-control';
import type { ReportSummary } from '@cto/read-models';
import { ChildQuery } from './children.controller';
import { ChildRecord } from './child-record';
import { Reporting } from './reporting';

/** Reports over the reporting read models, one authority at a time. */
@ApiTags('query')
@ApiBearerAuth()
@Roles('reader')
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly reporting: Reporting,
    private readonly record: ChildRecord,
  ) {}

  /** Per route: open, overdue, completed, working days to complete against the rule's target; transitions per child. */
  @Get('summary')
  @ApiOperation({ summary: 'Per route: open, overdue, completed, working days to complete against the target; transitions per child' })
  async summary(@Query() query: ChildQuery, @CurrentPrincipal() principal: Principal): Promise<ReportSummary> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return this.reporting.summary(authority);
  }
}
