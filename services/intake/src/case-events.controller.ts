import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { assertCaseEventsInScope, CurrentPrincipal, Roles, WriteRateLimited, type Principal } from '@cto/access-control';
import { CaseEventRecorder, type RecordedCaseEvent } from './case-event-recorder';

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
  async post(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ accepted: RecordedCaseEvent[] }> {
    assertCaseEventsInScope(principal, body);
    return { accepted: await this.recorder.record(body) };
  }
}
