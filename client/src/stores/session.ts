// Who the viewer is: a role and its token (none for the public). Kept for the browser tab so a reload keeps the role.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role } from '@contract/vocabulary.ts';

/** A role of the server's vocabulary, or the public (no token). */
export type ViewerRole = 'public' | Role;

const STORAGE_KEY = 'attendance-live.session';

interface Saved {
  role: ViewerRole;
  scope: string;
  token?: string;
}

function load(): Saved {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Saved | null;
    if (saved && typeof saved.role === 'string') return saved;
  } catch {
    // Storage unavailable or corrupt: start as the public.
  }
  return { role: 'public', scope: '' };
}

export const useSessionStore = defineStore('session', () => {
  const saved = load();
  const role = ref<ViewerRole>(saved.role);
  /** The LA codes, URNs or trust codes the role is limited to (comma-separated); empty for all. */
  const scope = ref(saved.scope);
  const token = ref<string | undefined>(saved.token);
  const signedIn = computed(() => token.value !== undefined);

  function signIn(nextRole: ViewerRole, nextScope: string, nextToken: string | undefined): void {
    role.value = nextRole;
    scope.value = nextScope;
    token.value = nextToken;
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ role: nextRole, scope: nextScope, token: nextToken }));
    } catch {
      // Not persisted: the role lasts until reload.
    }
  }

  function signOut(): void {
    signIn('public', '', undefined);
  }

  return { role, scope, token, signedIn, signIn, signOut };
});
