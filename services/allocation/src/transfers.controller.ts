import { Body, Controller, Headers, HttpCode, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, mayAccess, Roles, WriteRateLimited, type Principal } from '@cto/access-control';
import { TRANSFER_ACTIONS, type TransferAction } from '@cto/domain';
import { NotFound } from '@cto/runtime';
import { TransferCommands, type CommandResult } from './transfer-commands';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;

export class TransferActionBody {
  /** Required for reject, dispute and withdraw (the core says so, with the same field path). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters' })
  reason?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[^\s\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,98}[^\s\u0000-\u001F\u007F-\u009F])?$/, { message: 'must be a worker id or role of up to 100 characters' })
  by?: string;

  /** dispute only: the dispute is about the receiving team's capacity. */
  @IsOptional()
  @IsBoolean()
  capacity?: boolean;
}

const idempotencyKeyOf = (header: string | undefined): string | undefined => (header && ID.test(header) ? header : undefined);

/**
 * Managers' answers to a proposed transfer (DESIGN.md "HTTP API"). 200 with the new status and the
 * actions now allowed; 409 with the current status and the allowed actions when the action is not
 * allowed (nothing recorded); 404 for an unknown transfer, and for another authority's transfer,
 * so that transfer ids cannot be probed across tenants.
 */
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
  async act(
    @Param('transferId') transferId: string,
    @Param('action', new ParseEnumPipe(TRANSFER_ACTIONS, { errorHttpStatusCode: 404 })) action: TransferAction,
    @Body() body: TransferActionBody,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommandResult> {
    await this.assertInScope(principal, transferId);
    return this.commands.act(transferId, { action, ...body }, idempotencyKeyOf(idempotencyKey));
  }

  /** A checklist item met, as a manager records it (the case-management system sends ChecklistItemCompleted). */
  @Post('checklist/:itemId/met')
  @HttpCode(200)
  async meet(
    @Param('transferId') transferId: string,
    @Param('itemId') itemId: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CommandResult> {
    await this.assertInScope(principal, transferId);
    return this.commands.meetItem(transferId, itemId, idempotencyKeyOf(idempotencyKey));
  }
}
