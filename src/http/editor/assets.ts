import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The page's script and styles, by file name. */
export type EditorAssets = ReadonlyMap<string, { type: string; body: Buffer }>;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const NAMES = ['editor.js', 'editor.css'];

/**
 * The page's bundle: `npm run build` writes it to `dist/web/editor/` (esbuild), next to the compiled bot; run from
 * the sources (tests, tsx) it is bundled in memory from `web/editor/` by esbuild (a dev dependency) instead.
 */
export async function loadEditorAssets(): Promise<EditorAssets> {
  const dir = fileURLToPath(new URL('../../../web/editor/', import.meta.url));
  const built = await Promise.all(NAMES.map((n) => readFile(dir + n).catch(() => null)));
  if (built.every((b) => b !== null)) {
    return new Map(NAMES.map((n, i) => [n, { type: typeOf(n), body: built[i] as Buffer }]));
  }
  return bundleInMemory(dir);
}

async function bundleInMemory(dir: string): Promise<EditorAssets> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [`${dir}editor.ts`, `${dir}editor.css`],
    bundle: true,
    minify: true,
    target: 'es2020',
    outdir: '/editor-out',
    write: false,
    logLevel: 'silent',
  });
  return new Map(
    out.outputFiles.map((f) => {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      return [name, { type: typeOf(name), body: Buffer.from(f.contents) }];
    }),
  );
}

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}
