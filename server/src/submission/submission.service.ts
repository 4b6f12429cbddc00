import { createHmac, randomUUID } from 'node:crypto';
import { BadRequestException, ForbiddenException, Inject, Injectable, Logger, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { RollupQueue } from '../../../pipelines/rollup/rollup.queue.js';
import type { RollupJob } from '../../../pipelines/rollup/rollup.types.js';
import { inScope, type Principal } from '../auth/principal.js';
import { todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { UpnCipher } from '../pupils/upn-cipher.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import { versionTimestamp } from '../warehouse/warehouse.js';
import { Metrics } from '../metrics/metrics.js';
import { MarksRepository } from './marks.repository.js';
import { parseRegister, PayloadTooLarge } from './register-parser.js';

export const MAX_SUBMISSION_BYTES = 50_000_000;

export interface SubmissionReceipt {
  submissionId: string;
  rows: number;
  schools: number;
  dates: string[];
  /** True when the same file had already been accepted: nothing was stored again. */
  duplicate: boolean;
}

@Injectable()
export class SubmissionService {
  private readonly logger = new Logger(SubmissionService.name);
  private readonly cipher: UpnCipher;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schools: SchoolsRepository,
    private readonly marks: MarksRepository,
    private readonly rollups: RollupQueue,
    private readonly metrics: Metrics,
  ) {
    this.cipher = new UpnCipher(config.upnKey);
  }

  /** All or nothing: every row is validated before anything is stored; 202 only once the marks are in ClickHouse. */
  async submit(body: AsyncIterable<Buffer>, submitter: Principal): Promise<SubmissionReceipt> {
    const submissionId = randomUUID();
    const receivedAt = versionTimestamp();
    // Each pupil's UPN, encrypted, so their own school, trust and LA can recognise them (never stored in plain text).
    const identities = new Map<string, string>();
    const knownUrns = await this.schools.knownUrns().catch((error: unknown) => this.unavailable(submissionId, error));
    const outcome = await parseRegister(body, {
      knownUrns,
      mayWrite: (urn) => inScope(submitter, String(urn)),
      today: todayInLondon(),
      pupilKey: (upn) => {
        const key = createHmac('sha256', this.config.pupilKey).update(upn.toUpperCase()).digest('hex');
        identities.set(key, this.cipher.encrypt(upn.toUpperCase()));
        return key;
      },
      submissionId,
      receivedAt,
      maxBytes: MAX_SUBMISSION_BYTES,
    }).catch((error: unknown) => {
      if (error instanceof PayloadTooLarge) throw new PayloadTooLargeException(error.message);
      throw error;
    });
    if (!outcome.ok) {
      this.metrics.submissions.inc({ outcome: 'refused' });
      const body = { message: `The file was not stored: ${outcome.errors.length} problem(s) found (first 100 listed)`, errors: outcome.errors };
      throw outcome.status === 403 ? new ForbiddenException(body) : new BadRequestException(body);
    }
    const { register } = outcome;
    const slices: RollupJob['slices'] = [...register.slices].flatMap(([urn, dates]) => [...dates].map((date) => [urn, date] as [number, string]));
    const earlier = await this.marks.findByContent(register.sha256).catch((error: unknown) => this.unavailable(submissionId, error));
    if (earlier) {
      await this.enqueue(slices, earlier.submission_id);
      this.metrics.submissions.inc({ outcome: 'duplicate' });
      return { submissionId: earlier.submission_id, rows: earlier.rows, schools: earlier.urns.length, dates: [...earlier.dates].sort(), duplicate: true };
    }
    const urns = [...register.slices.keys()];
    const dates = [...new Set(slices.map(([, date]) => date))].sort();
    try {
      await this.marks.upsertIdentities(identities, receivedAt);
      await this.marks.insertMarks(register.tsv);
      await this.marks.recordSubmission({
        submission_id: submissionId,
        content_sha256: register.sha256,
        submitted_by: submitter.sub,
        rows: register.rows,
        urns,
        dates,
        received_at: receivedAt,
      });
    } catch (error) {
      this.unavailable(submissionId, error);
    }
    this.metrics.submissions.inc({ outcome: 'accepted' });
    this.metrics.marks.inc(register.rows);
    await this.enqueue(slices, submissionId);
    return { submissionId, rows: register.rows, schools: urns.length, dates, duplicate: false };
  }

  /** Not acknowledged: sending the file again is safe (a repeated mark replaces itself), and is what to do. */
  private unavailable(submissionId: string, error: unknown): never {
    this.logger.error(`Storing submission ${submissionId} failed: ${(error as Error).message}`);
    throw new ServiceUnavailableException('ClickHouse did not take the file: it was not acknowledged; send it again shortly');
  }

  private async enqueue(slices: RollupJob['slices'], submissionId: string): Promise<void> {
    try {
      await this.rollups.enqueue(slices, `submission-${submissionId}-${Date.now()}`);
    } catch {
      // The marks are stored; only the roll-up hand-over failed. Posting the same file again re-queues it.
      throw new ServiceUnavailableException('The marks were stored but the roll-up queue is unavailable: send the same file again shortly');
    }
  }
}
