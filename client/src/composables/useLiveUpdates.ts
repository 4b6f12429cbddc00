// The one live connection: socket.io namespace /live. A `measures` push carries the latest day's figures, which the
// page patches in place (`apply`: no request); what a push cannot carry (the year to date, the weeks, cohorts,
// schools) is refetched at most once every `intervalMs` however many pushes and early warnings arrive: the first a
// second after a quiet spell ends (the rest of a burst of roll-ups with it), later ones at the end of the window.
import { io, type Socket } from 'socket.io-client';
import { onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { useSessionStore } from '../stores/session.ts';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  LIVE_REFETCH_MS,
  type LiveMeasures,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '@contract/live-events.ts';

export interface LiveUpdatesOptions {
  subscription: SubscribeRequest;
  /** Reloads the page's figures; called at a steady pace after pushes arrive. */
  refresh: () => Promise<unknown> | void;
  /** Patches the page's latest-day figures from a push, at once. */
  apply?: (payload: LiveMeasures) => void;
  intervalMs?: number;
}

/** The first refetch after a quiet spell waits this long for the rest of a burst of roll-ups. */
const SETTLE_MS = 1000;

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function useLiveUpdates({ subscription, refresh, apply, intervalMs = LIVE_REFETCH_MS }: LiveUpdatesOptions) {
  const session = useSessionStore();
  /** When the last `measures` push arrived (null until one does). */
  const lastUpdate = ref<Date | null>(null);
  const lastMeasures = shallowRef<LiveMeasures | null>(null);
  const connected = ref(false);
  const error = ref<string | null>(null);

  let pending = false;
  let running = false;
  let lastRun = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function schedule(): void {
    pending = true;
    if (timer || running) return;
    timer = setTimeout(run, Math.max(SETTLE_MS, lastRun + intervalMs - Date.now()));
  }

  async function run(): Promise<void> {
    timer = undefined;
    if (!pending) return;
    pending = false;
    running = true;
    lastRun = Date.now();
    try {
      await refresh();
    } finally {
      running = false;
      if (pending) schedule();
    }
  }

  // The token is read on every (re)connect, so a role switch only needs a reconnect.
  const socket: LiveSocket = io(LIVE_NAMESPACE, {
    auth: (callback) => callback(session.token ? { token: session.token } : {}),
  });

  socket.on('connect', () => {
    connected.value = true;
    // Rooms do not survive a reconnect: subscribe every time.
    socket.emit('subscribe', subscription, (answer: SubscribeAck) => {
      error.value = answer.ok ? null : `Live updates are off: ${answer.error}`;
    });
  });
  socket.on('disconnect', (reason) => {
    connected.value = false;
    // The server closes a socket whose token is refused or has expired; it never reconnects on its own.
    if (reason === 'io server disconnect') {
      error.value = 'Live updates are off: your sign-in was refused or has expired. Sign in (choose a role) again.';
    }
  });
  socket.on('connect_error', () => {
    connected.value = false;
  });
  // An early warning about a school this viewer may see: the page lists it at its next refetch.
  socket.on('alert', () => schedule());
  socket.on('pupils', () => schedule());
  socket.on('measures', (payload) => {
    lastUpdate.value = new Date();
    lastMeasures.value = payload;
    apply?.(payload);
    schedule();
  });

  watch(
    () => session.token,
    () => {
      socket.disconnect();
      socket.connect();
    },
  );

  onBeforeUnmount(() => {
    clearTimeout(timer);
    socket.disconnect();
  });

  return { lastUpdate, lastMeasures, connected, error };
}
