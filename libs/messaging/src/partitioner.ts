/**
 * Key → partition, the way Kafka's default partitioner does it: murmur2 of the key's UTF-8 bytes,
 * made positive, modulo the partition count. Using Kafka's function rather than any stable hash
 * means a key lands in the same partition number in the embedded and the distributed mode, so
 * partitions and offsets in logs mean the same thing in both.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's `Utils.murmur2` (Java int semantics: 32-bit, wrapping multiplication). */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // The Java code falls through a switch on the remaining 1–3 bytes; written out here.
  const tail = length & ~3;
  const remaining = length & 3;
  if (remaining === 3) h ^= data[tail + 2] << 16;
  if (remaining >= 2) h ^= data[tail + 1] << 8;
  if (remaining >= 1) {
    h ^= data[tail];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of `key` in a topic of `partitions` partitions. */
export function partitionForKey(key: string, partitions: number): number {
  // Kafka's toPositive masks the sign bit (not Math.abs, which overflows on MIN_VALUE).
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}
