/**
 * A button's action with its state: `busy` while it runs, `error` with the message of a refusal
 * (the server names what is wrong). The command controls share it.
 */
import { ref } from 'vue';

export function useBusyAction() {
  const busy = ref(false);
  const error = ref('');
  async function run(action: () => Promise<void>): Promise<void> {
    error.value = '';
    busy.value = true;
    try {
      await action();
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
