import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { ChildQuery } from './children.controller';
import { ChildRecord } from './child-record';
import { EscalationsView, type EscalationView } from './escalations-view';

export class EscalationsQuery extends ChildQuery {
  @IsOptional()
  @IsIn(['open', 'resolved'], { message: 'must be open or resolved' })
  status?: 'open' | 'resolved';
}

/** Escalations on the authority's ladder (DESIGN.md "HTTP API"): `?status=open|resolved&authority=`. */
@Controller('v1/escalations')
export class EscalationsController {
  constructor(
    private readonly view: EscalationsView,
    private readonly record: ChildRecord,
  ) {}

  @Get()
  async list(@Query() query: EscalationsQuery): Promise<{ authority: string; escalations: EscalationView[] }> {
    const authority = this.record.resolveAuthority(query.authority);
    return { authority, escalations: await this.view.list({ authorities: [authority], ...(query.status ? { status: query.status } : {}) }) };
  }
}
