import { Controller, HttpCode, PayloadTooLargeException, Post, Req } from '@nestjs/common';
import { KeepsAnswers } from '../common/shared-answers.js';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { Roles } from '../auth/roles.decorator.js';
import { requireCsv } from '../common/body.js';
import { ApiRoute } from '../common/api-docs.js';
import type { SubmissionReceipt } from '../contract/api.js';
import { ROUTES } from '../contract/routes.js';
import { MAX_SUBMISSION_BYTES, SubmissionService } from './submission.service.js';

@ApiTags('submissions')
@Controller('api/v1/submissions')
export class SubmissionController {
  constructor(private readonly submissions: SubmissionService) {}

  @Post()
  @KeepsAnswers()
  @HttpCode(202)
  @Roles('submitter', 'school')
  @ApiBearerAuth()
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'Header row, columns in any order. Required: urn, upn, date (YYYY-MM-DD), session (AM|PM), code (register code), year_group (N1, N2, R, 1-14). ' +
      'Optional: sex (F|M), fsm (Y|N), sen (N|K|E), eal (Y|N), ethnicity (WHIT|MIXD|ASIA|BLAC|CHNE|AOEG|UNCL), cin (Y|N), cla (Y|N), lsoa (E01...). ' +
      'A later submission for the same pupil-session replaces the earlier one. At most 50 MB.',
  })
  @ApiOperation({ summary: "Submit a school's register marks (all rows stored, or none)" })
  @ApiRoute(ROUTES.submitRegister)
  @ApiResponse({ status: 400, description: 'Nothing stored: {message, errors: [{line, column, message}]} (first 100)' })
  @ApiResponse({ status: 413, description: 'Over 50 MB: nothing stored' })
  submit(@Req() request: AuthedRequest): Promise<SubmissionReceipt> {
    requireCsv(request);
    // A declared length over the limit is refused before reading; a chunked body is counted as it streams.
    if (Number(request.headers['content-length'] ?? 0) > MAX_SUBMISSION_BYTES) {
      throw new PayloadTooLargeException(
        `The file is larger than ${MAX_SUBMISSION_BYTES / 1_000_000} MB: split it into smaller files`,
      );
    }
    return this.submissions.submit(request, request.principal!);
  }
}
