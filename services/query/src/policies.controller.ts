import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { PolicyPack } from '@cto/domain';
import type { PackRegistry } from '@cto/policy-packs';
import { NotFound, PACK_REGISTRY } from '@cto/runtime';

/** The packs in force, with their rules and citations (DESIGN.md "HTTP API"). */
@Controller('v1/policies')
export class PoliciesController {
  constructor(@Inject(PACK_REGISTRY) private readonly packs: PackRegistry) {}

  @Get()
  list(): { packs: { id: string; version: string; title: string; source: string; authorities: string[]; rules: number }[] } {
    return {
      packs: this.packs.packs().map((p) => ({ id: p.id, version: p.version, title: p.title, source: p.source, authorities: p.authorities, rules: p.rules.length })),
    };
  }

  @Get(':packId')
  get(@Param('packId') packId: string): PolicyPack {
    const compiled = this.packs.get(packId);
    if (!compiled) throw new NotFound('policy-pack-not-found', `no policy pack '${packId}' is in force`);
    return compiled.pack;
  }
}
