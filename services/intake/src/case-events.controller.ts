import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CaseEventRecorder, type RecordedCaseEvent } from './case-event-recorder';

@Controller('v1/case-events')
export class CaseEventsController {
  constructor(private readonly recorder: CaseEventRecorder) {}

  /** One envelope or an array. 202: recorded (decisions follow asynchronously); 400: nothing recorded. */
  @Post()
  @HttpCode(202)
  async post(@Body() body: unknown): Promise<{ accepted: RecordedCaseEvent[] }> {
    return { accepted: await this.recorder.record(body) };
  }
}
