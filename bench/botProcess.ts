/**
 * The bot under bench, in its own process so its CPU time and peak RSS are its own: the real `createBot` (the real
 * discord.js client, tracker, publisher, SQLite store, HTTP server) configured from the environment the bench sets,
 * polling on its own clock. Talks to the bench over IPC: `ready`, then `stats` on request, then `stop`.
 */
import { createBot } from '../src/app.js';
import { loadConfig, secretsOf } from '../src/config.js';
import { withCallbackSecret } from '../src/http/secret.js';
import { createLogger } from '../src/log.js';
import { usage } from './usage.js';

const config = withCallbackSecret(loadConfig(process.env));
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
const bot = createBot(config, { logger, autoPoll: true });

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') process.send?.({ type: 'stats', ...usage() });
  if (msg.type === 'stop') {
    // The measurement is over: a shutdown that waits on a backlog is not what is measured.
    setTimeout(() => process.exit(0), 5_000).unref();
    bot.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  }
});

bot.start().then(
  () => {
    usage.reset();
    process.send?.({ type: 'ready' });
  },
  (err: unknown) => {
    logger.fatal({ err: String(err) }, 'bench bot could not start');
    process.exit(1);
  },
);
