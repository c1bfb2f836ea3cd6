import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@cto/access-control';
import type { FactExplanation } from '@cto/domain';
import { ChildRecord, type ChildEventView, type ChildTransfersView } from './child-record';

export class ChildQuery {
  @ApiPropertyOptional({ description: 'the authority (tenant); may be left out when one pack is in force or the token names one authority', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be an authority id (lower-case letters, digits and hyphens)' })
  authority?: string;
}

@ApiTags('query')
@ApiBearerAuth()
@Roles('reader')
@Controller('v1/children/:childId')
export class ChildrenController {
  constructor(private readonly record: ChildRecord) {}

  @Get('events')
  @ApiOperation({ summary: "The child's stream in order: facts and decisions, with positions" })
  async events(@Param('childId') childId: string, @Query() query: ChildQuery, @CurrentPrincipal() principal: Principal): Promise<{ childId: string; authority: string; events: ChildEventView[] }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { childId, authority, events: await this.record.events(authority, childId) };
  }

  @Get('transfers')
  @ApiOperation({ summary: "The child's transfers with checklist, allowed actions and escalations; the co-workers other teams must allocate; a standing decision that the case remains" })
  async transfers(
    @Param('childId') childId: string,
    @Query() query: ChildQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ childId: string; authority: string } & ChildTransfersView> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { childId, authority, ...(await this.record.transfers(authority, childId)) };
  }

  /** `policy explain` over HTTP: which rules each fact triggered, and why each did or did not fire. */
  @Get('explanation')
  @ApiOperation({ summary: 'policy explain: which rules each fact triggered, and why each did or did not fire' })
  async explanation(
    @Param('childId') childId: string,
    @Query() query: ChildQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ childId: string; authority: string; packId: string; packVersion: string; facts: FactExplanation[] }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { childId, authority, ...(await this.record.explanation(authority, childId)) };
  }
}
