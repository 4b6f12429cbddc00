import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { shownCount } from '../alerts/alerts.service.js';
import { seesEverySchool, seesPupils, seesSchool } from '../auth/access.js';
import {
  expiryRefusal,
  inScope,
  InvalidToken,
  verifyToken,
  type Principal,
  type TokenPrincipal,
} from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LA_BY_CODE, REGIONS } from '../reference/local-authorities.js';
import { SchoolsService } from '../reference/schools.service.js';
import type { SchoolAlert, SchoolSummary } from '../contract/api.js';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveMeasures,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '../contract/live-events.js';
import { NATIONAL_CODE, ROOM_LEVELS } from '../contract/vocabulary.js';

type SocketData = { principal?: TokenPrincipal };
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export function roomOf(level: SubscribeRequest['level'], code: string): string {
  return `${level}:${code}`;
}

/** Where a school's early warnings go: its own room, its LA's, its trust's and England's. */
function alertRooms(school: SchoolSummary): string[] {
  const rooms = [roomOf('school', String(school.urn)), roomOf('la', school.laCode), roomOf('national', NATIONAL_CODE)];
  return school.trustCode ? [...rooms, roomOf('trust', school.trustCode)] : rooms;
}

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayConnection {
  private readonly logger = new Logger(LiveGateway.name);
  @WebSocketServer() private readonly namespace!: Namespace<ClientToServerEvents, ServerToClientEvents>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schools: SchoolsService,
  ) {}

  /**
   * A token is optional (public national, regional and LA figures); a bad one closes the connection. A socket's rights
   * are its token's and end with it: when the token expires the socket is closed, rooms and all, and the client signs
   * in again (a reconnection with the expired token is refused here).
   */
  handleConnection(socket: LiveSocket): void {
    const token: unknown = socket.handshake.auth?.token;
    if (token === undefined || token === null || token === '') return;
    let principal: TokenPrincipal;
    try {
      principal = verifyToken(String(token), this.config);
    } catch (error) {
      this.logger.debug(`Refused a live connection: ${error instanceof InvalidToken ? error.message : 'bad token'}`);
      socket.disconnect(true);
      return;
    }
    socket.data.principal = principal;
    // JWT_MAX_LIFETIME_HOURS is at most a week, well inside a timer's range (24.8 days).
    const expiry = setTimeout(() => {
      this.logger.debug(`Closed a live connection of ${principal.sub}: its token expired`);
      socket.disconnect(true);
    }, principal.expiresAt - Date.now());
    socket.once('disconnect', () => clearTimeout(expiry));
  }

  @SubscribeMessage('subscribe')
  async subscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() request: SubscribeRequest,
  ): Promise<SubscribeAck> {
    // The expiry timer may run late (a busy event loop): the token is checked again on every subscription.
    const expired = socket.data.principal && expiryRefusal(socket.data.principal);
    if (expired) return { ok: false, error: expired };
    const refusal = await this.refusal(request, socket.data.principal);
    if (refusal) return { ok: false, error: refusal };
    await socket.join(roomOf(request.level, request.level === 'national' ? NATIONAL_CODE : String(request.code)));
    return { ok: true };
  }

  hasSubscribers(room: string): boolean {
    return (this.namespace?.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  push(room: string, payload: LiveMeasures): void {
    this.namespace.to(room).emit('measures', payload);
  }

  /** Each socket in the room gets the figures its user is entitled to (none if null). */
  async pushEach(room: string, payloadFor: (viewer?: Principal) => LiveMeasures | null): Promise<void> {
    for (const socket of await this.signedIn(room)) {
      const payload = payloadFor((socket.data as SocketData).principal);
      if (payload) socket.emit('measures', payload);
    }
  }

  /**
   * An alert goes to the school's, its LA's, its trust's and England's rooms, but only to users who may see the school:
   * those with pupil-level rights to it, and DfE and Ofsted where the school's figures for the day are `shown` to them.
   */
  async pushAlert(alert: SchoolAlert, shown: boolean): Promise<void> {
    const { school } = alert;
    const payload = {
      urn: school.urn,
      name: school.name,
      laCode: school.laCode,
      date: alert.date,
      todayPerc: alert.todayPerc,
      expectedPerc: alert.expectedPerc,
    };
    for (const socket of await this.signedIn(alertRooms(school))) {
      const viewer = (socket.data as SocketData).principal;
      if (seesPupils(viewer, school) || (shown && seesSchool(viewer, school))) socket.emit('alert', payload);
    }
  }

  /**
   * Pupils at risk at a school, counted, to the same rooms: under 10 the count goes only to users with pupil-level
   * rights.
   */
  async pushPupils(school: SchoolSummary, date: string, atRisk: number, threshold: number): Promise<void> {
    for (const socket of await this.signedIn(alertRooms(school))) {
      const shown = shownCount((socket.data as SocketData).principal, school, atRisk);
      if (shown !== undefined)
        socket.emit('pupils', {
          urn: school.urn,
          name: school.name,
          laCode: school.laCode,
          date,
          atRisk: shown,
          threshold,
        });
    }
  }

  /** The rooms' sockets but those whose token has expired (their timer, late, has yet to close them). */
  private async signedIn(rooms: string | string[]) {
    const sockets = await this.namespace.in(rooms).fetchSockets();
    return sockets.filter((socket) => {
      const principal = (socket.data as SocketData).principal;
      return !principal || !expiryRefusal(principal);
    });
  }

  private async refusal(request: SubscribeRequest, principal?: Principal): Promise<string | null> {
    if (!request || !ROOM_LEVELS.includes(request.level)) return `level must be one of ${ROOM_LEVELS.join(', ')}`;
    const code = request.code === undefined ? undefined : String(request.code);
    if (request.level === 'national') return null;
    if (!code) return `${request.level} needs a code`;
    if (request.level === 'regional') return REGIONS.has(code) ? null : `${code} is not a region code`;
    if (request.level === 'la') return LA_BY_CODE.has(code) ? null : `${code} is not a 3-digit LA code`;
    if (request.level === 'trust') {
      if (!/^[A-Za-z0-9]{1,12}$/.test(code)) return `${code} is not a trust code`;
      if (!principal) return 'Trust alerts need a signed-in user';
      return seesEverySchool(principal) || (principal.role === 'trust' && inScope(principal, code))
        ? null
        : `Your role (${principal.role}) may not follow trust ${code}`;
    }
    if (!/^\d{1,9}$/.test(code)) return `${code} is not a URN`;
    if (!principal) return 'School figures need a signed-in user';
    if (seesEverySchool(principal)) return null;
    const school = (await this.schools.list()).get(Number(code));
    const allowed = !!school && seesPupils(principal, school);
    return allowed ? null : `Your role (${principal.role}) may not follow school ${code}`;
  }
}
