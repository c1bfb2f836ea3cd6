/**
 * Waits for something the system does asynchronously (a decision after a 202, a projection catching
 * up) by asking again until it holds, and fails saying what it waited for and what it last saw —
 * never a fixed sleep that passes on a fast machine and fails on a slow one.
 */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
