/**
 * Whether the signed-in user may run simulation scenarios (SCENARIO_ROLES, as the server checks
 * on POST /api/scenarios). Results are public, so the flood, traffic and green-wave panels keep
 * showing saved runs and only swap their run button for a sign-in hint when this is false.
 */
import { computed, onBeforeUnmount, ref } from 'vue';
import { SCENARIO_ROLES } from '../../../../domain/users';
import { HttpError } from '../../shared/http';
import { currentSession, onSessionChange, type Session } from '../../shared/session';

export function useScenarioAccess() {
  const session = ref<Session | null>(currentSession());
  // The cases tab signs in and out; an expired token is dropped by http.ts: follow both.
  const stop = onSessionChange((next) => {
    session.value = next;
  });
  onBeforeUnmount(stop);
  const canRun = computed(() => session.value !== null && SCENARIO_ROLES.includes(session.value.user.role));
  return { canRun };
}

/** A refused submit (no login, expired token, wrong role): the panel's sign-in hint says why. */
export function isAccessDenied(err: unknown): boolean {
  return err instanceof HttpError && (err.status === 401 || err.status === 403);
}
