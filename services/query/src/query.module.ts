import { Module } from '@nestjs/common';
import { ChildRecord } from './child-record';
import { ChildrenController } from './children.controller';
import { EscalationsController } from './escalations.controller';
import { EscalationsView } from './escalations-view';
import { PoliciesController } from './policies.controller';

/** query: reads for case-management systems and dashboards (DESIGN.md "Topology"). */
@Module({ controllers: [ChildrenController, EscalationsController, PoliciesController], providers: [ChildRecord, EscalationsView] })
export class QueryModule {}
