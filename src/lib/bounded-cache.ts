import { LRUCache } from 'lru-cache';

/**
 * Caches keyed by request data (article ids, cursors, addresses) are bounded twice: by entries and
 * by bytes, least recently used dropped first (lru-cache). Entries alone are not a bound: 10,000
 * keys of 15,000 characters each filled the heap and killed the process.
 */
export interface CacheBounds {
  maxEntries: number;
  /** Estimated bytes of keys and values together (see `stringBytes`). */
  maxBytes: number;
}

/** What a string may take in memory: two bytes per UTF-16 unit (V8 stores some strings in one). */
export const stringBytes = (s: string): number => 2 * s.length;

/** Bookkeeping per entry (the map slot, the entry object), roughly. */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * A string-keyed LRU cache holding at most `maxEntries` entries and `maxBytes` bytes, where an
 * entry weighs its key, `valueBytes(value)` and a fixed overhead. An entry heavier than `maxBytes`
 * is not kept.
 */
export function boundedCache<V extends object>(bounds: CacheBounds, valueBytes: (value: V) => number): LRUCache<string, V> {
  return new LRUCache<string, V>({
    max: bounds.maxEntries,
    maxSize: bounds.maxBytes,
    sizeCalculation: (value, key) => ENTRY_OVERHEAD_BYTES + stringBytes(key) + valueBytes(value),
  });
}
