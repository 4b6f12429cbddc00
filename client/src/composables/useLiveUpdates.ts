// The one live connection: socket.io namespace /live. Pushes are buffered and turned into at most one refresh every
// `intervalMs`: a push after a quiet spell refreshes at once (the page shows a new register within a second), and a
// burst of roll-ups re-renders the page once more at the end of the window, with its last state.
import { io, type Socket } from 'socket.io-client';
import { onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { useSessionStore } from '../stores/session.ts';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveMeasures,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '@contract/live-events.ts';

export interface LiveUpdatesOptions {
  subscription: SubscribeRequest;
  /** Reloads the page's figures; called at a steady pace after pushes arrive. */
  refresh: () => Promise<unknown> | void;
  intervalMs?: number;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function useLiveUpdates({ subscription, refresh, intervalMs = 1000 }: LiveUpdatesOptions) {
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
    timer = setTimeout(run, Math.max(0, lastRun + intervalMs - Date.now()));
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
  // An early warning about a school this viewer may see: reload, so the page lists it.
  socket.on('alert', () => schedule());
  socket.on('pupils', () => schedule());
  socket.on('measures', (payload) => {
    lastUpdate.value = new Date();
    lastMeasures.value = payload;
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
