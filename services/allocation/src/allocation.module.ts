import { Module } from '@nestjs/common';
import { AllocationProcessor } from './allocation.processor';

/** allocation: evaluates the authority's transfer points and records TransferProposed (DESIGN.md "Topology"). */
@Module({ providers: [AllocationProcessor], exports: [AllocationProcessor] })
export class AllocationModule {}
