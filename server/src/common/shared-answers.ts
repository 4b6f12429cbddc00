// Which answers viewers share: marks on routes, read by answers/shared-answer.interceptor.ts. Here, below every
// controller, so that a controller of any folder (auth's among them) can carry them.
import { SetMetadata } from '@nestjs/common';

export const SHARED = 'shared-answer';
export const KEEPS = 'keeps-answers';

/**
 * The handler's answer is shared by every viewer of the asker's class who asks the same question (route and query),
 * until a roll-up changes a day it read. For answers that read only the warehouse's marks, roll-ups and reference data:
 * never a pupil-level or audited answer (each of those is recorded as it is sent).
 */
export const SharedAnswer = () => SetMetadata(SHARED, true);

/**
 * A write that changes no answer by itself (a register's marks reach the answers through their roll-ups, which report
 * their days; a token). Every other successful write makes every shared answer stale.
 */
export const KeepsAnswers = () => SetMetadata(KEEPS, true);
