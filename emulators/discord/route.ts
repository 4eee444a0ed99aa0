/** What a REST route of the fake is: its method, pattern, whether it needs the bot token, and its handler. */
import type { ParsedBody, Reply } from './http.js';
import type { FakeState } from './state.js';

/** What a route handler gets. */
export interface RouteCtx {
  state: FakeState;
  params: Record<string, string>;
  body: ParsedBody;
  query: URLSearchParams;
}

export interface Route {
  method: string;
  pattern: string;
  /** Needs `Authorization: Bot <token>`. */
  bot: boolean;
  handle(ctx: RouteCtx): Reply | Promise<Reply>;
}
