import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CurrentPrincipal, Roles, WriteRateLimited, type Principal } from '@cto/access-control';
import { idempotentRequestOf } from '@cto/runtime';
import { EscalationCommands, type EscalateResult } from './escalation-commands';

const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;

export class EscalateBody {
  @ApiProperty({ description: 'why it is escalated, in the manager’s words', minLength: 1, maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters' })
  reason!: string;
}

/**
 * A manager takes an escalation to the next rung of the authority's ladder by hand: the way to a
 * rung the procedure gives no timescale for (`reachedBy: request`, 003 §4's Assistant Director),
 * and to any rung sooner than time would. 404 for an unknown escalation and for another
 * authority's; 409 with the rung it stands on when it is resolved or already at the top.
 */
@ApiTags('escalation')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: "unknown escalation, or another authority's" })
@Roles('manager')
@WriteRateLimited()
@Controller('v1/escalations/:escalationId')
export class EscalationsCommandController {
  constructor(private readonly commands: EscalationCommands) {}

  @Post('escalate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Escalate to the next rung of the ladder by hand (the way to a rung with no timescale)' })
  @ApiOkResponse({ description: '{ escalationId, rung, role, dueBy, recorded }' })
  @ApiConflictResponse({ description: '{ error: "conflict", problem: "escalation-at-top-rung" | "escalation-resolved", rung, role, status }; nothing is recorded' })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'a retry with the same key and body gets the first answer back and never climbs a second rung; the same key with another body is 422 (kept 24 hours, scoped to the caller and the escalation)' })
  escalate(
    @Param('escalationId') escalationId: string,
    @Body() body: EscalateBody,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<EscalateResult> {
    return this.commands.escalate(escalationId, principal, body.reason, idempotentRequestOf(idempotencyKey, principal.subject, 'escalate', body));
  }
}
