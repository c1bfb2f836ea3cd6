import { Body, Controller, Headers, HttpCode, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, mayAccess, Roles, WriteRateLimited, type Principal } from '@cto/access-control';
import { TRANSFER_ACTIONS, type TransferAction } from '@cto/domain';
import { idempotentRequestOf, NotFound } from '@cto/runtime';
import { TransferCommands, type CommandResult } from './transfer-commands';

const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;

export class TransferActionBody {
  /** Required for reject, dispute and withdraw (the core says so, with the same field path). */
  @ApiPropertyOptional({ description: 'required for reject, dispute and withdraw', minLength: 1, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters' })
  reason?: string;

  @ApiPropertyOptional({ description: 'the worker id or role acting', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Matches(/^[^\s\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,98}[^\s\u0000-\u001F\u007F-\u009F])?$/, { message: 'must be a worker id or role of up to 100 characters' })
  by?: string;

  /** dispute only: the dispute is about the receiving team's capacity. */
  @ApiPropertyOptional({ description: "dispute only: the dispute is about the receiving team's capacity" })
  @IsOptional()
  @IsBoolean()
  capacity?: boolean;
}

/**
 * Managers' answers to a proposed transfer (DESIGN.md "HTTP API"). 200 with the new status and the
 * actions now allowed; 409 with the current status and the allowed actions when the action is not
 * allowed (nothing recorded); 404 for an unknown transfer, and for another authority's transfer,
 * so that transfer ids cannot be probed across tenants.
 */
@ApiTags('allocation')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'unknown transfer, or another authority\'s' })
@Roles('manager')
@WriteRateLimited()
@Controller('v1/transfers/:transferId')
export class TransfersController {
  constructor(private readonly commands: TransferCommands) {}

  private async assertInScope(principal: Principal, transferId: string): Promise<void> {
    if (!mayAccess(principal, await this.commands.authorityOf(transferId))) throw new NotFound('transfer-not-found', `no transfer ${transferId}`);
  }

  @Post(':action')
  @HttpCode(200)
  @ApiOperation({ summary: "A manager's answer to a transfer: accept, reject, dispute, complete or withdraw" })
  @ApiParam({ name: 'action', enum: TRANSFER_ACTIONS })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'a retry with the same key and body gets the first answer back and records nothing twice; the same key with another body is 422 (keys are kept 24 hours, scoped to the caller, the action and the transfer)' })
  @ApiOkResponse({ description: '{ transferId, status, allowedActions, recorded }' })
  @ApiConflictResponse({ description: 'the transition is not allowed, or the blocking checklist is not signed off; nothing is recorded' })
  async act(
    @Param('transferId') transferId: string,
    @Param('action', new ParseEnumPipe(TRANSFER_ACTIONS, { errorHttpStatusCode: 404 })) action: TransferAction,
    @Body() body: TransferActionBody,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommandResult> {
    await this.assertInScope(principal, transferId);
    return this.commands.act(transferId, { action, ...body }, idempotentRequestOf(idempotencyKey, principal.subject, action, body));
  }

  /** A checklist item met, as a manager records it (the case-management system sends ChecklistItemCompleted). */
  @Post('checklist/:itemId/met')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a checklist item of the transfer met' })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'a retry with the same key gets the first answer back and records nothing twice (keys are kept 24 hours, scoped to the caller, the item and the transfer)' })
  @ApiOkResponse({ description: '{ transferId, status, allowedActions, recorded }' })
  async meet(
    @Param('transferId') transferId: string,
    @Param('itemId') itemId: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommandResult> {
    await this.assertInScope(principal, transferId);
    return this.commands.meetItem(transferId, itemId, idempotentRequestOf(idempotencyKey, principal.subject, `checklist/${itemId}/met`, {}));
  }
}
