import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_JSON = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');

/**
 * The Node flags an npm script of package.json gives `node` (`start`: `node --max-old-space-size=1024 …`), so the
 * tests and the bench run the bot as operators do.
 */
export function scriptFlags(script: 'start' | 'start:sharded'): string[] {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: Record<string, string> };
  return (pkg.scripts[script] ?? '').split(/\s+/).filter((arg) => arg.startsWith('--'));
}
