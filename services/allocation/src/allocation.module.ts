import { Module } from '@nestjs/common';
import { AllocationProcessor } from './allocation.processor';
import { TransferCommands } from './transfer-commands';
import { TransfersController } from './transfers.controller';

/** allocation: evaluates the authority's transfer points and records TransferProposed, and takes managers' answers (DESIGN.md "Topology"). */
@Module({ controllers: [TransfersController, AllocationProcessor], providers: [TransferCommands] })
export class AllocationModule {}
