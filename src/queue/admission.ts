import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/**
 * Admission counters checked, counted and the job added in one Redis transaction (one round trip per
 * submit instead of a flood check and then an enqueue). The API's flood control
 * (src/http/readers/flood-guard.ts) describes what to count; the producer runs it here, in the same
 * MULTI as BullMQ's add of the job:
 *
 *   per job: cmAdmit(job key, [pass key], counters…) → BullMQ add;  then once: cmAdmitEnd(job keys…)
 *
 * `cmAdmit` refuses when any counter is at its limit (nothing counted, all or nothing); a refused
 * job gets a placeholder at its job key, so BullMQ's add, which stores nothing for a job id that
 * exists, stores nothing; `cmAdmitEnd` removes the placeholder. A MULTI runs alone, so no other
 * client ever sees the placeholder. Every key shares the queue's prefix, so in a Redis Cluster, with
 * the prefix in a hash tag (`{moderation}`), they all live in one slot, as a MULTI requires.
 */
export interface AdmissionGate {
  /**
   * Lets retries of one submission (same Idempotency-Key) through uncounted: set with SET NX; when
   * it was already set, the job is admitted without counting (it becomes the same comment).
   */
  pass?: { key: string; ttlSeconds: number };
  /** Fixed-window counters: refused when `limit` are already counted in the window. */
  counters: { key: string; limit: number; windowMs: number }[];
}

export type Admission =
  | { admitted: true; /** Counter keys counted for this job (to give back if the answer fails). */ counted: string[] }
  | { admitted: false; /** Index of the counter that refused. */ refused: number; retryAfterMs: number };

/** Field of a refused job's placeholder hash. */
const REFUSED_FIELD = 'cm:refused';

const ADMIT = `
local jobKey = KEYS[1]
local hasPass = ARGV[1] == '1'
-- An earlier job of this transaction with the same id was refused: its placeholder must not stop this one.
local function admit(counted)
  if redis.call('HGET', jobKey, '${REFUSED_FIELD}') == '1' then redis.call('DEL', jobKey) end
  return {1, counted}
end
local first = 2
if hasPass then
  first = 3
  if not redis.call('SET', KEYS[2], '1', 'EX', ARGV[2], 'NX') then
    return admit(0)
  end
end
local n = #KEYS - first + 1
for i = 0, n - 1 do
  local key = KEYS[first + i]
  local used = tonumber(redis.call('GET', key) or '0')
  if used >= tonumber(ARGV[3 + i * 2]) then
    if hasPass then redis.call('DEL', KEYS[2]) end
    if redis.call('EXISTS', jobKey) == 0 then redis.call('HSET', jobKey, '${REFUSED_FIELD}', '1') end
    return {0, i, redis.call('PTTL', key)}
  end
end
for i = 0, n - 1 do
  local key = KEYS[first + i]
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[4 + i * 2]) end
end
return admit(1)
`;

const ADMIT_END = `
for i = 1, #KEYS do
  if redis.call('HGET', KEYS[i], '${REFUSED_FIELD}') == '1' then redis.call('DEL', KEYS[i]) end
end
return 0
`;

/** Gives points back: decrements each counter still above 0 (an answer that failed after counting). */
const GIVE_BACK = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

type ScriptClient = Redis | Cluster;
interface AdmissionCommands {
  cmAdmit(numKeys: number, ...args: (string | number)[]): Promise<[number, number, number?]>;
  cmAdmitEnd(numKeys: number, ...jobKeys: string[]): Promise<number>;
  cmGiveBack(numKeys: number, ...keys: string[]): Promise<number>;
}

/** Defines the scripts on a connection (once; ioredis sends EVALSHA, loading them when missing). */
export function defineAdmissionCommands(client: ScriptClient): void {
  const c = client as ScriptClient & Partial<AdmissionCommands>;
  if (c.cmAdmit) return;
  client.defineCommand('cmAdmit', { lua: ADMIT });
  client.defineCommand('cmAdmitEnd', { lua: ADMIT_END });
  client.defineCommand('cmGiveBack', { lua: GIVE_BACK });
}

/** Queues the gate on a MULTI (before the job's add). */
export function queueAdmit(multi: ChainableCommander, jobKey: string, gate: AdmissionGate): void {
  const keys = [jobKey, ...(gate.pass ? [gate.pass.key] : []), ...gate.counters.map((c) => c.key)];
  const args = [gate.pass ? '1' : '0', gate.pass?.ttlSeconds ?? 0, ...gate.counters.flatMap((c) => [c.limit, c.windowMs])];
  (multi as unknown as AdmissionCommands).cmAdmit(keys.length, ...keys, ...args);
}

/** Queues the placeholders' removal on a MULTI, once after the adds of every gated job in it. */
export function queueAdmitEnd(multi: ChainableCommander, jobKeys: string[]): void {
  (multi as unknown as AdmissionCommands).cmAdmitEnd(jobKeys.length, ...jobKeys);
}

/** Reads the gate's reply. */
export function admissionOf(reply: unknown, gate: AdmissionGate): Admission {
  const [ok, second, ttl] = reply as [number, number, number?];
  if (ok === 1) return { admitted: true, counted: second === 1 ? gate.counters.map((c) => c.key) : [] };
  return { admitted: false, refused: second, retryAfterMs: Math.max(0, Number(ttl ?? 0)) };
}

/** Gives the points of `keys` back (see GIVE_BACK). */
export async function giveBack(client: ScriptClient, keys: string[]): Promise<void> {
  if (!keys.length) return;
  defineAdmissionCommands(client);
  await (client as unknown as AdmissionCommands).cmGiveBack(keys.length, ...keys);
}
