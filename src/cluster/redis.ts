/**
 * What the cluster parts need of a Redis connection (node-redis 5's client has it): raw commands, and a
 * duplicate connection for pub/sub. Kept this small so tests and the parts agree on one seam.
 */
export interface RedisCommands {
  sendCommand<T = unknown>(args: ReadonlyArray<string>): Promise<T>;
}

/** `EVAL script numkeys keys… args…`. */
export function evalScript<T>(
  redis: RedisCommands,
  script: string,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<T> {
  return redis.sendCommand<T>(['EVAL', script, String(keys.length), ...keys, ...args.map(String)]);
}
