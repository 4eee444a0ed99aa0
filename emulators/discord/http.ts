/** HTTP plumbing: body parsing (JSON or multipart) and replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiJson, RestFile } from './types.js';

/** A request body: JSON (or multipart `payload_json`) plus the uploaded files. */
export interface ParsedBody {
  json: ApiJson;
  files: RestFile[];
}

/** What a route handler answers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The answer comes from a test's hand (`failNext`, `expireToken`), not from the bot's own mistake. */
  injected?: boolean;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads and parses the body; multipart is parsed with the WHATWG `Request#formData` of Node. */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readRaw(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: undefined, files: [] };
  if (!type.startsWith('multipart/form-data')) {
    return {
      json: type.includes('json') ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8'),
      files: [],
    };
  }
  const form = await new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(raw),
  }).formData();
  const parsed: ParsedBody = { json: undefined, files: [] };
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') parsed.json = JSON.parse(value);
      continue;
    }
    parsed.files.push({
      field,
      filename: value.name,
      contentType: value.type || 'application/octet-stream',
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return parsed;
}

/** Writes a reply: JSON when there is a body, else an empty response. */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json';
  res.writeHead(reply.status, headers).end(text);
}

/** A Discord error reply `{code, message}`. */
export function apiError(status: number, code: number, message: string, extra?: object): Reply {
  return { status, body: { code, message, ...extra } };
}

export const errors = {
  notFound: () => apiError(404, 0, '404: Not Found'),
  unauthorized: () => apiError(401, 0, '401: Unauthorized'),
  unknownChannel: () => apiError(404, 10003, 'Unknown Channel'),
  unknownMessage: () => apiError(404, 10008, 'Unknown Message'),
  unknownUser: () => apiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => apiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => apiError(404, 10062, 'Unknown interaction'),
  invalidWebhookToken: () => apiError(401, 50027, 'Invalid Webhook Token'),
  alreadyAcknowledged: () => apiError(400, 40060, 'Interaction has already been acknowledged.'),
  notAuthor: () => apiError(403, 50005, 'Cannot edit a message authored by another user'),
};
