// The access matrix (README "Who sees what"), in one place: every endpoint and socket room asks these questions.
//
//   public (no token)  national, regional and LA aggregates, suppressed
//   dfe, ofsted        aggregates at every level including schools, suppressed; never pupil level
//   la                 everything for schools in its LAs including pupil level; elsewhere what the public sees
//   trust              its schools including pupil level
//   school             itself including pupil level
//   submitter          submits registers for its URNs; reads nothing
//   admin              reference data and the audit log; otherwise what the public sees
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { ROLE_NAMES } from '../contract/vocabulary.js';
import { inScope, type Principal } from './principal.js';

/** What the matrix needs to know of a school. */
export interface SchoolRef {
  urn: number;
  laCode: string;
  trustCode: string;
}

const EVERY_SCHOOL_ROLES = new Set(['dfe', 'ofsted']);

/** Aggregate figures of every school, one by one (never pupil level). */
export function seesEverySchool(viewer?: Principal): boolean {
  return !!viewer && EVERY_SCHOOL_ROLES.has(viewer.role);
}

/** Pupil-level rights to a school: the school itself, its trust, its LA. */
export function seesPupils(viewer: Principal | undefined, school: SchoolRef): boolean {
  if (!viewer) return false;
  if (viewer.role === 'school') return inScope(viewer, String(school.urn));
  if (viewer.role === 'trust') return school.trustCode !== '' && inScope(viewer, school.trustCode);
  return seesPupilsInLa(viewer, school.laCode);
}

/** Pupil-level rights to every school of an LA (and so to the LA's own cells): its LA users. */
export function seesPupilsInLa(viewer: Principal | undefined, laCode: string): boolean {
  return viewer?.role === 'la' && inScope(viewer, laCode);
}

/** Pupil-level rights to every school in England (an `la` user of scope `*`): no cell is hidden from them. */
export function seesAllPupils(viewer?: Principal): boolean {
  return viewer?.role === 'la' && viewer.scope === '*';
}

/** A school's aggregate figures: whoever has pupil-level rights to it, DfE and Ofsted. */
export function seesSchool(viewer: Principal | undefined, school: SchoolRef): boolean {
  return seesEverySchool(viewer) || seesPupils(viewer, school);
}

/** Every school of an LA one by one: DfE, Ofsted and the LA's own users. */
export function seesSchoolsOfLa(viewer: Principal | undefined, laCode: string): boolean {
  return seesEverySchool(viewer) || seesPupilsInLa(viewer, laCode);
}

/**
 * 401 without a token, 403 with one that does not give the right; in plain words, for the page to show as they are
 * ("Sign in as one of them to see this.", "You are signed in as a school user.").
 */
export function requireAccess(allowed: boolean, viewer: Principal | undefined, message: string): void {
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  if (!viewer) throw new UnauthorizedException(`${sentence}. Sign in as one of them to see this.`);
  if (!allowed) throw new ForbiddenException(`${sentence}. You are signed in as ${ROLE_NAMES[viewer.role]}.`);
}

/** The principal the server uses for its own calculations (a comparator group's pooled figures): sees every cell. */
export const SERVER: Principal = { sub: 'server', role: 'la', scope: '*' };

/**
 * A viewer of every school without pupil-level rights (DfE, Ofsted): what such viewers may be sent, pushes included.
 */
export const OVERSIGHT: Principal = { sub: 'server', role: 'dfe', scope: '*' };

/**
 * The viewer class: viewers of one class are shown the same answer to every question, so an answer computed for one
 * may be given to the others (`answers/answer-cache.ts`) and nothing else may. The public; DfE, Ofsted and admin each
 * (their scope is not read); an LA's, a trust's, a school's or a submitter's users by their scope, since every right
 * above follows the role and the scope alone.
 */
export function viewerClass(viewer?: Principal): string {
  if (!viewer) return 'public';
  if (viewer.role === 'dfe' || viewer.role === 'ofsted' || viewer.role === 'admin') return viewer.role;
  return `${viewer.role}:${viewer.scope === '*' ? '*' : [...new Set(viewer.scope)].sort().join(',')}`;
}
