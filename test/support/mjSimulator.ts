/** The midjourney-proxy simulator; see `./mjSimulator/index.ts`. */
export * from './mjSimulator/index.js';
