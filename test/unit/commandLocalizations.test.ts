import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';

type Node = {
  name: string;
  description?: string;
  name_localizations?: Record<string, string | null> | null;
  description_localizations?: Record<string, string | null> | null;
  options?: Node[];
  choices?: Array<{
    name: string;
    value: unknown;
    name_localizations?: Record<string, string | null> | null;
  }>;
};

/** Every piece of a definition a Chinese client shows that has no zh-CN text, as paths. */
function missing(node: Node, path: string): string[] {
  const out: string[] = [];
  if (!node.name_localizations?.['zh-CN']) out.push(`${path} name`);
  if (node.description !== undefined && !node.description_localizations?.['zh-CN'])
    out.push(`${path} description`);
  for (const c of node.choices ?? [])
    if (!c.name_localizations?.['zh-CN']) out.push(`${path}=${String(c.value)} name`);
  for (const o of node.options ?? []) out.push(...missing(o, `${path}.${o.name}`));
  return out;
}

describe('command definitions', () => {
  it('carry zh-CN names and descriptions for every command, option and choice', () => {
    const commands = [...loadCommands().values()];
    expect(commands.map((c) => c.data.name)).toEqual(
      expect.arrayContaining(['imagine', 'settings', 'info', 'help', 'mj-admin']),
    );
    expect(commands.flatMap((c) => missing(c.data as Node, c.data.name))).toEqual([]);
  });

  it('localized names are valid Discord command names', () => {
    const names = (node: Node): string[] => [
      node.name_localizations?.['zh-CN'] ?? '',
      ...(node.options ?? []).flatMap(names),
    ];
    for (const c of loadCommands().values()) {
      for (const name of names(c.data as Node)) expect(name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
    }
  });

  it('/mj-admin is for server managers, in servers only', () => {
    const admin = loadCommands().get('mj-admin')?.data;
    expect(admin?.default_member_permissions).toBe('32');
    expect(admin?.contexts).toEqual([0]);
  });
});
