/**
 * Polling with a deadline: the suite never sleeps for a fixed time to let something happen; it
 * asks until the answer comes or the deadline passes, and then says what it last saw.
 */
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `probe` every `everyMs` until it returns something other than undefined/false, and
 * returns that. Past `timeoutMs` it throws, quoting `describe()` (the state it last saw).
 */
export async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>, describe?: () => Promise<string>, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() >= deadline) throw new Error(`no ${what} within ${timeoutMs} ms${describe ? `; last seen: ${await describe()}` : ''}`);
    await delay(everyMs);
  }
}

/**
 * Waits until `at` (epoch ms). Used only where the behaviour under test is "nothing happens
 * until then" (a cooldown): the test then checks what happened meanwhile.
 */
export async function until(at: number): Promise<void> {
  const left = at - Date.now();
  if (left > 0) await delay(left);
}
