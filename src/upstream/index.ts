export { MjClient, type MjClientOptions } from './client.js';
export { isMjError, MjError, type MjErrorKind } from './errors.js';
export { isTerminal, type MjLogger, normalizeTask, normalizeTaskList, parseProgress } from './parse.js';
export * from './types.js';
