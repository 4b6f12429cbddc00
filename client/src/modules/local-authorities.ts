// England's 153 LAs with their regions and neighbours, fetched once per page load.
import { shallowRef } from 'vue';
import { apiGet } from './api.ts';
import type { LocalAuthority } from './types.ts';

const list = shallowRef<LocalAuthority[]>([]);
let loading: Promise<LocalAuthority[]> | undefined;

/** The LAs (empty until loaded); the first call starts the download. */
export function useLocalAuthorities() {
  loading ??= apiGet('/api/v1/reference/local-authorities').then((las) => (list.value = las));
  loading.catch(() => (loading = undefined));
  return list;
}
