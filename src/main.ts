import 'dotenv/config';
import { createBot } from './app.js';
import { ConfigError, loadConfig, secretsOf } from './config.js';
import { withCallbackSecret, withSharedCallbackSecret } from './http/secret.js';
import { StoreError } from './jobs/storeError.js';
import { createLogger, scrubber } from './log.js';

/** Exit status when a person must fix something first (config, store): a supervisor should not loop on it. */
const EX_CONFIG = 78;

/** Entry point: `npm start`. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    // The callback secret is settled first (given, stored or generated) so the logger scrubs it too.
    // On Redis every process shares one secret, kept in Redis (the first process to start makes it).
    config = withCallbackSecret(await withSharedCallbackSecret(loadConfig()));
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StoreError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const scrub = scrubber(secretsOf(config));
  // Whatever escapes goes through the scrubbing logger, never as a raw stack on stderr.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'crashed');
    process.exit(1);
  });
  const refuse = (err: StoreError): never => {
    process.stderr.write(`${scrub(err.message)}\n`);
    logger.fatal({ problem: err.problem, path: err.path, code: err.code }, 'the job store cannot be used');
    process.exit(EX_CONFIG);
  };
  let bot: ReturnType<typeof createBot>;
  try {
    bot = createBot(config, { logger, processMetrics: true });
  } catch (err) {
    if (err instanceof StoreError) refuse(err);
    throw err;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second signal: the operator insists. Active jobs are still in the store and resume at the next start.
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  try {
    await bot.start();
  } catch (err) {
    await bot.stop().catch(() => undefined);
    if (err instanceof StoreError) refuse(err);
    logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
}

void main();
