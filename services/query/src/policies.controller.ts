import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, mayAccess, Roles, type Principal } from '@cto/access-control';
import type { PolicyPack } from '@cto/domain';
import type { PackRegistry } from '@cto/policy-packs';
import { NotFound, PACK_REGISTRY } from '@cto/runtime';

/**
 * The packs in force, with their rules and citations (DESIGN.md "HTTP API"): only the packs of the
 * authorities the token is scoped to; another tenant's pack is not found, as if it were not there.
 */
@ApiTags('query')
@ApiBearerAuth()
@Roles('reader')
@Controller('v1/policies')
export class PoliciesController {
  constructor(@Inject(PACK_REGISTRY) private readonly packs: PackRegistry) {}

  @Get()
  @ApiOperation({ summary: "The policy packs in force for the token's authorities" })
  list(@CurrentPrincipal() principal: Principal): { packs: { id: string; version: string; title: string; source: string; authorities: string[]; rules: number }[] } {
    return {
      packs: this.packs
        .packs()
        .filter((p) => inScope(principal, p))
        .map((p) => ({ id: p.id, version: p.version, title: p.title, source: p.source, authorities: p.authorities, rules: p.rules.length })),
    };
  }

  @Get(':packId')
  @ApiOperation({ summary: 'One policy pack with its teams, rules and citations' })
  get(@Param('packId') packId: string, @CurrentPrincipal() principal: Principal): PolicyPack {
    const compiled = this.packs.get(packId);
    if (!compiled || !inScope(principal, compiled.pack)) throw new NotFound('policy-pack-not-found', `no policy pack '${packId}' is in force`);
    return compiled.pack;
  }
}

const inScope = (principal: Principal, pack: PolicyPack): boolean => pack.authorities.some((authority) => mayAccess(principal, authority));
