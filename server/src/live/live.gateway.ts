import { Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayConnection } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { SchoolAlert } from '../api-contract.js';
import { seesEverySchool, seesPupils, seesSchool } from '../auth/access.js';
import { InvalidToken, verifyToken, type Principal } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LA_BY_CODE, REGIONS } from '../reference/local-authorities.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import {
  LEVELS, LIVE_NAMESPACE, NATIONAL_CODE, type ClientToServerEvents, type LiveMeasures, type ServerToClientEvents, type SubscribeAck, type SubscribeRequest,
} from './live-events.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { principal?: Principal }>;

export function roomOf(level: SubscribeRequest['level'], code: string): string {
  return `${level}:${code}`;
}

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayConnection {
  private readonly logger = new Logger(LiveGateway.name);
  @WebSocketServer() private readonly namespace!: Namespace<ClientToServerEvents, ServerToClientEvents>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schools: SchoolsRepository,
  ) {}

  /** A token is optional (public national, regional and LA figures); a bad one closes the connection. */
  handleConnection(socket: LiveSocket): void {
    const token: unknown = socket.handshake.auth?.token;
    if (token === undefined || token === null || token === '') return;
    try {
      socket.data.principal = verifyToken(String(token), this.config.jwtSecret);
    } catch (error) {
      this.logger.debug(`Refused a live connection: ${error instanceof InvalidToken ? error.message : 'bad token'}`);
      socket.disconnect(true);
    }
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() request: SubscribeRequest): Promise<SubscribeAck> {
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
    for (const socket of await this.namespace.in(room).fetchSockets()) {
      const payload = payloadFor((socket.data as LiveSocket['data']).principal);
      if (payload) socket.emit('measures', payload);
    }
  }

  /** An alert goes to the school's, its LA's and England's rooms, but only to users who may see the school. */
  async pushAlert(alert: SchoolAlert): Promise<void> {
    const { school } = alert;
    const rooms = [roomOf('school', String(school.urn)), roomOf('la', school.laCode), roomOf('national', NATIONAL_CODE)];
    const payload = { urn: school.urn, name: school.name, laCode: school.laCode, date: alert.date, todayPerc: alert.todayPerc, expectedPerc: alert.expectedPerc };
    for (const socket of await this.namespace.in(rooms).fetchSockets()) {
      if (seesSchool((socket.data as LiveSocket['data']).principal, school)) socket.emit('alert', payload);
    }
  }

  private async refusal(request: SubscribeRequest, principal?: Principal): Promise<string | null> {
    if (!request || !LEVELS.includes(request.level)) return `level must be one of ${LEVELS.join(', ')}`;
    const code = request.code === undefined ? undefined : String(request.code);
    if (request.level === 'national') return null;
    if (!code) return `${request.level} needs a code`;
    if (request.level === 'regional') return REGIONS.has(code) ? null : `${code} is not a region code`;
    if (request.level === 'la') return LA_BY_CODE.has(code) ? null : `${code} is not a 3-digit LA code`;
    if (!/^\d{1,9}$/.test(code)) return `${code} is not a URN`;
    if (!principal) return 'School figures need a signed-in user';
    if (seesEverySchool(principal)) return null;
    const school = await this.schools.find(Number(code));
    const allowed = !!school && seesPupils(principal, { urn: Number(code), laCode: school.la_code, trustCode: school.trust_code });
    return allowed ? null : `Your role (${principal.role}) may not follow school ${code}`;
  }
}
