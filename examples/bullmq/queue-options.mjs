/**
 * The queue options the worker and the producer share, from the environment. Every process of one
 * API key must use the same budget: it is the key's, not the process's.
 */
export function cambQueueOptions() {
  const { CAMB_API_KEY: apiKey, CAMB_BASE_URL: baseUrl, REDIS_URL: redisUrl = 'redis://127.0.0.1:6379', CAMB_POLL_MS: pollMs, CAMB_QUEUE_PREFIX: prefix } = process.env;
  if (!apiKey) {
    console.error('set CAMB_API_KEY');
    process.exit(2);
  }
  const redis = new URL(redisUrl);
  return {
    apiKey,
    ...(baseUrl && { baseUrl }),
    connection: { host: redis.hostname, port: Number(redis.port || 6379), ...(redis.password && { password: decodeURIComponent(redis.password) }) },
    budget: { maxRequestsPerSecond: 20, maxConcurrentRequests: 10 },
    ...(pollMs && { interval: Number(pollMs) }),
    ...(prefix && { prefix }),
  };
}
