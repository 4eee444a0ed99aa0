import 'dotenv/config';
import { createBot } from './app.js';
import { ConfigError, loadConfig, secretsOf } from './config.js';
import { errorText } from './discord/respond.js';
import { createLogger } from './log.js';

/** Entry point: `npm start`. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const bot = createBot(config, { logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err: errorText(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err: errorText(err) }, 'unhandled rejection'));
  try {
    await bot.start();
  } catch (err) {
    logger.fatal({ err: errorText(err) }, 'could not start');
    await bot.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
