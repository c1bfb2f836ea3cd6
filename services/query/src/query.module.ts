import { Module } from '@nestjs/common';
import { ChildRecord } from './child-record';
import { ChildrenController } from './children.controller';
import { PoliciesController } from './policies.controller';

/** query: reads for case-management systems and dashboards (DESIGN.md "Topology"). */
@Module({ controllers: [ChildrenController, PoliciesController], providers: [ChildRecord] })
export class QueryModule {}
