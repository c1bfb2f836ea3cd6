import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@cto/access-control';
import { TRANSFER_STATUSES, type TransferStatus } from '@cto/domain';
import { InputRejected } from '@cto/runtime';
import { ChildQuery } from './children.controller';
import { ChildRecord } from './child-record';
import { Reporting, type TransferListView } from './reporting';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export class TransfersQuery extends ChildQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES })
  @IsOptional()
  @IsIn(TRANSFER_STATUSES, { message: `must be one of ${TRANSFER_STATUSES.join(', ')}` })
  status?: TransferStatus;

  @ApiPropertyOptional({ description: 'the sending or receiving team', minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'must be a team code (1 to 64 characters)' })
  team?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'judged on the clock' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'date', description: 'proposed on or after (inclusive)' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'must be a date, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'proposed on or before (inclusive)' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'must be a date, YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PAGE_SIZE, { message: `must be at most ${MAX_PAGE_SIZE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page, with the same filters', maxLength: 512 })
  @IsOptional()
  @IsString()
  @Length(1, 512, { message: 'must be a cursor this API returned' })
  cursor?: string;
}

/**
 * Transfers across the authority's children, from the reporting read model (DESIGN.md "HTTP
 * API"): newest proposal first, a page at a time; `nextCursor` fetches the next page with the same
 * filters, and is null on the last.
 */
@ApiTags('query')
@ApiBearerAuth()
@Roles('reader')
@Controller('v1/transfers')
export class TransfersReportController {
  constructor(
    private readonly reporting: Reporting,
    private readonly record: ChildRecord,
  ) {}

  @Get()
  @ApiOperation({ summary: "Transfers across the authority's children, newest proposal first, a page at a time" })
  async list(@Query() query: TransfersQuery, @CurrentPrincipal() principal: Principal): Promise<{ authority: string; transfers: TransferListView[]; nextCursor: string | null }> {
    const authority = this.record.resolveAuthority(query.authority, principal);
    if (query.from && query.to && query.to < query.from) {
      throw new InputRejected('invalid-request', 'the request has invalid fields', [{ path: '/to', reason: `must not be before from (${query.from})` }]);
    }
    const page = await this.reporting.transfers({
      authority,
      ...(query.status ? { status: query.status } : {}),
      ...(query.team ? { team: query.team } : {}),
      ...(query.overdue ? { overdue: query.overdue === 'true' } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return { authority, ...page };
  }
}
