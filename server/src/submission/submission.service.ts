import { createHmac, randomUUID } from 'node:crypto';
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
import { MarksRepository, type NewSubmission, type StoredSubmission } from './marks.repository.js';
import { parseRegister, PayloadTooLarge } from './register-parser.js';

export const MAX_SUBMISSION_BYTES = 50_000_000;
/** Pupils whose identity this process remembers having stored (about 100 bytes each); all forgotten when it is full. */
const MAX_KNOWN_PUPILS = 2_000_000;

@Injectable()
export class SubmissionService {
  private readonly logger = new Logger(SubmissionService.name);
  private readonly cipher: UpnCipher;
  /**
   * Pupils (pupil_key) whose encrypted UPN this process has stored: not encrypted and written again with every
   * register (a pupil_key always stands for the same UPN). Forgetting one only costs writing it once more.
   */
  private readonly knownPupils = new Set<string>();
  /** Files that arrive while others are being stored are looked up and stored together (one insert per table). */
  private readonly storing = new Batcher<NewSubmission, StoredSubmission | null>((files) => this.storeAll(files), {
    maxItems: 100,
    maxSize: 64_000_000,
    sizeOf: (file) => file.tsv.length,
  });

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
    const knownUrns = await this.schools.list().catch((error: unknown) => this.unavailable(submissionId, error));
    const today = todayInLondon();
    const outcome = await parseRegister(body, {
      knownUrns,
      mayWrite: (urn) => inScope(submitter, String(urn)),
      earliest: this.config.markDatesFrom ?? previousAcademicYearStart(today),
      today,
      pupilKey: (upn) => {
        const normalised = upn.toUpperCase();
        const key = createHmac('sha256', this.config.pupilKey).update(normalised).digest('hex');
        if (!this.knownPupils.has(key)) identities.set(key, this.cipher.encrypt(normalised));
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
      const body = {
        message: `The file was not stored: ${outcome.errors.length} problem(s) found (first 100 listed)`,
        errors: outcome.errors,
      };
      throw outcome.status === 403 ? new ForbiddenException(body) : new BadRequestException(body);
    }
    const { register } = outcome;
    const slices: RollupJob['slices'] = [...register.slices].flatMap(([urn, dates]) =>
      [...dates].map((date) => [urn, date] as [number, string]),
    );
    const urns = [...register.slices.keys()];
    const dates = [...new Set(slices.map(([, date]) => date))].sort();
    const record = {
      submission_id: submissionId,
      content_sha256: register.sha256,
      submitted_by: submitter.sub,
      rows: register.rows,
      urns,
      dates,
      received_at: receivedAt,
    };
    // Names are written with every register that carries them (a later one replaces the name), never remembered here:
    // another API replica may have stored a different one since.
    const names = [...register.names].flatMap(([urn, pupils]) =>
      [...pupils].map(([pupil_key, name]) => ({ urn, pupil_key, name_encrypted: this.cipher.encrypt(name) })),
    );
    const earlier = await this.storing
      .add({ record, identities, names, tsv: register.tsv })
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

  /**
   * Stores the files that are not repeats of one accepted before (or earlier in the batch); answers each with the
   * submission it repeats, or null when it was stored.
   */
  private async storeAll(files: NewSubmission[]): Promise<(StoredSubmission | null)[]> {
    const accepted = await this.marks.findByContent([...new Set(files.map((f) => f.record.content_sha256))]);
    const answers = files.map((f) => {
      const earlier = accepted.get(f.record.content_sha256);
      if (!earlier) accepted.set(f.record.content_sha256, f.record);
      return earlier ?? null;
    });
    const fresh = files.filter((_, i) => !answers[i]);
    if (fresh.length) await this.marks.store(fresh);
    for (const file of fresh) {
      if (this.knownPupils.size + file.identities.size > MAX_KNOWN_PUPILS) this.knownPupils.clear();
      for (const key of file.identities.keys()) this.knownPupils.add(key);
    }
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
