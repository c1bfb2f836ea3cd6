import { Module } from '@nestjs/common';
import { ChecklistProcessor } from './checklist.processor';

/** checklist: opens each transfer's transfer-standards checklist and marks its items met (DESIGN.md "Topology"). */
@Module({ controllers: [ChecklistProcessor] })
export class ChecklistModule {}
