// `npm start`'s prestart: builds dist/ only when a source changed since the last build, and only once when
// several processes start at once from one checkout (the first builds under a lock; the others wait for it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SOURCES = ['src', 'commands', 'web', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const STAMP = join(ROOT, 'dist', '.build-stamp');
const LOCK = join(ROOT, 'dist', '.build-lock');
const STALE_LOCK_MS = 5 * 60_000;

/** The newest modification time under `path` (files only). */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), st.mtimeMs);
}

const sourcesAt = () => Math.max(...SOURCES.map((s) => newest(join(ROOT, s))));

function upToDate() {
  try {
    return Number(readFileSync(STAMP, 'utf8')) >= sourcesAt();
  } catch {
    return false;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function takeLock() {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(200);
    }
  }
}

if (!upToDate()) {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  takeLock();
  try {
    // Another process may have built while this one waited for the lock.
    if (!upToDate()) {
      const at = sourcesAt();
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
      writeFileSync(STAMP, String(at));
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
