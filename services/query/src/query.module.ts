import { Module } from '@nestjs/common';
import { ChildRecord } from './child-record';
import { ChildrenController } from './children.controller';
import { DashboardController } from './dashboard.controller';
import { EscalationsController } from './escalations.controller';
import { PoliciesController } from './policies.controller';
import { ReportsController } from './reports.controller';
import { Reporting } from './reporting';
import { ReadModelsModule } from './reporting-projection';
import { TransfersReportController } from './transfers-report.controller';

/** query: reads for case-management systems and dashboards (DESIGN.md "Topology"). */
@Module({
  imports: [ReadModelsModule],
  controllers: [ChildrenController, EscalationsController, PoliciesController, TransfersReportController, ReportsController, DashboardController],
  providers: [ChildRecord, Reporting],
})
export class QueryModule {}
