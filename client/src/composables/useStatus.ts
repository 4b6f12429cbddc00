// The server's status (latest school day, coverage, auth mode): shared by the header, the role switcher and pages.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiGet } from '../modules/api.ts';
import type { Status } from '../modules/types.ts';

export const useStatusStore = defineStore('status', () => {
  const status = ref<Status | null>(null);
  const error = ref<string | null>(null);

  let inFlight: Promise<Status | null> | null = null;

  /** Asks the server again; callers that ask while a request is on its way share its answer. */
  function refresh(): Promise<Status | null> {
    inFlight ??= (async () => {
      try {
        status.value = await apiGet('/api/v1/status');
        error.value = null;
      } catch (e) {
        error.value = e instanceof Error ? e.message : String(e);
      } finally {
        inFlight = null;
      }
      return status.value;
    })();
    return inFlight;
  }

  return { status, error, refresh };
});
