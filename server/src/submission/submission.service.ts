import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { SubmissionReceipt } from '../contract/api.js';
import { RollupQueue } from '../rollup/rollup.queue.js';
import type { RollupJob } from '../rollup/rollup.types.js';
import { inScope, type Principal } from '../auth/principal.js';
import { previousAcademicYearStart, todayInLondon } from '../common/dates.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { UpnCipher } from '../pupils/upn-cipher.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import { versionTimestamp } from '../warehouse/warehouse.js';
import { Metrics } from '../metrics/metrics.js';
import { Batcher } from '../common/batcher.js';
import { MarksRepository, type NewSubmission, type PupilSecrets, type StoredSubmission } from './marks.repository.js';
import { PayloadTooLarge, readRegister, type RowError } from './register-parser.js';
import { REGISTER_BATCH, RegisterRepository, type RegisterRules, type StagedRegister } from './register.repository.js';
import { checkRegisterInEngine } from './register-check.js';

export const MAX_SUBMISSION_BYTES = 50_000_000;

@Injectable()
export class SubmissionService {
  private readonly logger = new Logger(SubmissionService.name);
  private readonly secrets: PupilSecrets;
  /**
   * Files that arrive while others are being stored are looked up and stored together (one insert per table), under
   * a load of small registers at most every REGISTER_BATCH.ms.
   */
  private readonly storing = new Batcher<NewSubmission, StoredSubmission | null>((files) => this.storeAll(files), {
    maxItems: 100,
    maxSize: 2_000_000,
    sizeOf: (file) => file.staged.records,
    every: { ms: REGISTER_BATCH.ms, under: REGISTER_BATCH.records },
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schools: SchoolsRepository,
    private readonly registers: RegisterRepository,
    private readonly marks: MarksRepository,
    private readonly rollups: RollupQueue,
    private readonly metrics: Metrics,
  ) {
    this.secrets = { pupilKey: config.pupilKey, upnKeyHex: UpnCipher.keyOf(config.upnKey).toString('hex') };
  }

  /**
   * All or nothing: every row is checked (in ClickHouse) before anything is stored; 202 only once the marks are in
   * ClickHouse. JavaScript reads the body's bytes, never its rows, but for the few files the engine cannot read as
   * the reference reader would (register-parser.ts).
   */
  async submit(body: AsyncIterable<Buffer>, submitter: Principal): Promise<SubmissionReceipt> {
    const submissionId = randomUUID();
    const receivedAt = versionTimestamp();
    const knownUrns = await this.schools.list().catch((error: unknown) => this.unavailable(submissionId, error));
    const today = todayInLondon();
    const rules: RegisterRules = {
      knownUrns: [...knownUrns.keys()],
      scope: submitter.scope === '*' ? null : submitter.scope,
      earliest: this.config.markDatesFrom ?? previousAcademicYearStart(today),
      today,
    };
    const file = await readRegister(body, MAX_SUBMISSION_BYTES).catch((error: unknown) => {
      if (error instanceof PayloadTooLarge) throw new PayloadTooLargeException(error.message);
      throw error;
    });
    const checked = await checkRegisterInEngine(this.registers, file, rules, (urn) =>
      inScope(submitter, String(urn)),
    ).catch((error: unknown) => this.unavailable(submissionId, error));
    if (!checked.ok) this.refuse(checked.status, checked.errors);
    const register = checked.register;
    try {
      return await this.store(register, file.sha256, submissionId, receivedAt, submitter);
    } finally {
      // Not awaited: the answer does not wait for its staging table to go (a table left is dropped at the next start).
      void this.registers.release(register);
    }
  }

  private async store(
    register: StagedRegister,
    sha256: string,
    submissionId: string,
    receivedAt: string,
    submitter: Principal,
  ): Promise<SubmissionReceipt> {
    const slices: RollupJob['slices'] = register.slices.map(([urn, date]) => [Number(urn), date]);
    const urns = [...new Set(slices.map(([urn]) => urn))];
    const dates = [...new Set(slices.map(([, date]) => date))].sort();
    const record = {
      submission_id: submissionId,
      content_sha256: sha256,
      submitted_by: submitter.sub,
      rows: register.rows,
      urns,
      dates,
      received_at: receivedAt,
    };
    const earlier = await this.storing
      .add({ record, staged: register })
      .catch((error: unknown) => this.unavailable(submissionId, error));
    if (earlier) {
      await this.enqueue(slices, earlier.submission_id);
      this.metrics.submissions.inc({ outcome: 'duplicate' });
      return {
        submissionId: earlier.submission_id,
        rows: earlier.rows,
        schools: earlier.urns.length,
        dates: [...earlier.dates].sort(),
        duplicate: true,
      };
    }
    this.metrics.submissions.inc({ outcome: 'accepted' });
    this.metrics.marks.inc(register.rows);
    await this.enqueue(slices, submissionId);
    return { submissionId, rows: register.rows, schools: urns.length, dates, duplicate: false };
  }

  private refuse(status: 400 | 403, errors: RowError[]): never {
    this.metrics.submissions.inc({ outcome: 'refused' });
    const body = {
      message: `The file was not stored: ${errors.length} problem(s) found (first 100 listed)`,
      errors,
    };
    throw status === 403 ? new ForbiddenException(body) : new BadRequestException(body);
  }

  /**
   * Stores the files that are not repeats of one accepted before (or earlier in the batch); answers each with the
   * submission it repeats, or null when it was stored. The repeats are looked up while the pupils' identities are
   * stored (a repeat adds none).
   */
  private async storeAll(files: NewSubmission[]): Promise<(StoredSubmission | null)[]> {
    const [accepted] = await Promise.all([
      this.marks.findByContent([...new Set(files.map((f) => f.record.content_sha256))]),
      this.marks.storeIdentities(files, this.secrets),
    ]);
    const answers = files.map((f) => {
      const earlier = accepted.get(f.record.content_sha256);
      if (!earlier) accepted.set(f.record.content_sha256, f.record);
      return earlier ?? null;
    });
    const fresh = files.filter((_, i) => !answers[i]);
    if (fresh.length) await this.marks.storeMarks(fresh, this.secrets);
    return answers;
  }

  /** Not acknowledged: sending the file again is safe (a repeated mark replaces itself), and is what to do. */
  private unavailable(submissionId: string, error: unknown): never {
    this.logger.error(`Storing submission ${submissionId} failed: ${(error as Error).message}`);
    throw new ServiceUnavailableException(
      'ClickHouse did not take the file: it was not acknowledged; send it again shortly',
    );
  }

  private async enqueue(slices: RollupJob['slices'], submissionId: string): Promise<void> {
    try {
      await this.rollups.enqueue(slices, `submission-${submissionId}-${Date.now()}`);
    } catch {
      // The marks are stored; only the roll-up hand-over failed. Posting the same file again re-queues it.
      throw new ServiceUnavailableException(
        'The marks were stored but the roll-up queue is unavailable: send the same file again shortly',
      );
    }
  }
}
