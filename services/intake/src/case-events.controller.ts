import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiForbiddenResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { assertCaseEventsInScope, CurrentPrincipal, Roles, WriteRateLimited, type Principal } from '@cto/access-control';
import { CaseEventRecorder, type RecordedCaseEvent } from './case-event-recorder';

@ApiTags('intake')
@ApiBearerAuth()
@Roles('integration')
@WriteRateLimited()
@Controller('v1/case-events')
export class CaseEventsController {
  constructor(private readonly recorder: CaseEventRecorder) {}

  /**
   * One envelope or an array. 202: recorded (decisions follow asynchronously); 403: an envelope is
   * for an authority the token is not scoped to; 400: invalid. Nothing is recorded unless 202.
   */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Record case events: one envelope or an array of at most 500, all or none' })
  @ApiBody({
    description: 'a case-event envelope (contracts/events/case-event-envelope.schema.json), or an array of them',
    schema: { oneOf: [{ $ref: 'events/case-event-envelope.schema.json' }, { type: 'array', maxItems: 500, items: { $ref: 'events/case-event-envelope.schema.json' } }] },
  })
  @ApiResponse({ status: 202, description: '{ accepted: [{ eventId, status: "recorded" | "duplicate" }] }; decisions follow asynchronously' })
  @ApiBadRequestResponse({ description: 'field-level errors for each bad event; nothing of the request is recorded' })
  @ApiForbiddenResponse({ description: 'an envelope is for an authority the token is not scoped to (its index is named)' })
  async post(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ accepted: RecordedCaseEvent[] }> {
    assertCaseEventsInScope(principal, body);
    return { accepted: await this.recorder.record(body) };
  }
}
