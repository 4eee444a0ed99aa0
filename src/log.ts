import { type DestinationStream, destination, type Logger, pino } from 'pino';

export type { Logger };

/** Replaces every occurrence of a secret in a text by a marker. */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  const list = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) out = out.split(secret).join('[redacted]');
    return out;
  };
}

/**
 * The structured logger (JSON lines). Secrets are scrubbed from every line as it is written, whatever field
 * or error message carried them; header fields that hold credentials are redacted by path as well.
 */
export function createLogger(options: {
  level: string;
  secrets: readonly string[];
  destination?: DestinationStream;
}): Logger {
  const scrub = scrubber(options.secrets);
  return pino(
    {
      level: options.level,
      base: { app: 'mj-discord-bot' },
      redact: {
        paths: ['*.authorization', '*.Authorization', '*.headers.authorization', 'token'],
        censor: '[redacted]',
      },
      hooks: { streamWrite: scrub },
    },
    options.destination ?? destination(1),
  );
}
