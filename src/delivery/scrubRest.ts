import { DefaultRestOptions } from 'discord.js';

type MakeRequest = typeof DefaultRestOptions.makeRequest;
type Body = Parameters<MakeRequest>[1]['body'];

/**
 * discord.js's own HTTP strategy, with every secret removed from what the bot sends to Discord (message text,
 * embeds, follow-ups, DMs, the `payload_json` of uploads). Upstream text the bot quotes (a failure reason, a
 * refusal) could echo the upstream key or the callback secret; this is the one door all of it goes through.
 */
export function scrubbingRequest(scrub: (text: string) => string): MakeRequest {
  return async (url, init) =>
    DefaultRestOptions.makeRequest(url, { ...init, body: scrubBody(init.body, scrub) });
}

function scrubBody(body: Body, scrub: (text: string) => string): Body {
  if (typeof body === 'string') return scrub(body);
  if (body instanceof FormData) {
    const out = new FormData();
    for (const [name, value] of body.entries()) {
      if (typeof value === 'string') out.append(name, scrub(value));
      else out.append(name, value, value.name);
    }
    return out;
  }
  return body;
}
