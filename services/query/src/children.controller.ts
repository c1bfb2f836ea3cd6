import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@cto/access-control';
import type { FactExplanation } from '@cto/domain';
import { ChildRecord, type ChildEventView, type TransferView } from './child-record';

export class ChildQuery {
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be an authority id (lower-case letters, digits and hyphens)' })
  authority?: string;
}

@Roles('reader')
@Controller('v1/children/:childId')
export class ChildrenController {
  constructor(private readonly record: ChildRecord) {}

  @Get('events')
  async events(@Param('childId') childId: string, @Query() query: ChildQuery, @CurrentPrincipal() principal: Principal): Promise<{ childId: string; authority: string; events: ChildEventView[] }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { childId, authority, events: await this.record.events(authority, childId) };
  }

  @Get('transfers')
  async transfers(
    @Param('childId') childId: string,
    @Query() query: ChildQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ childId: string; authority: string; transfers: TransferView[] }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { childId, authority, transfers: await this.record.transfers(authority, childId) };
  }

  /** `policy explain` over HTTP: which rules each fact triggered, and why each did or did not fire. */
  @Get('explanation')
  async explanation(
    @Param('childId') childId: string,
    @Query() query: ChildQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ childId: string; authority: string; packId: string; packVersion: string; facts: FactExplanation[] }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    return { childId, authority, ...(await this.record.explanation(authority, childId)) };
  }
}
