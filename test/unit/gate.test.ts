import type { Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { spends } from '../../src/interactions/gate.js';
import { JOB_ONLY_KINDS, MODAL_FORMS } from '../../src/render/customId.js';

const component = { isChatInputCommand: () => false } as unknown as Interaction;
const command = (name: string) =>
  ({ isChatInputCommand: () => true, commandName: name }) as unknown as Interaction;

describe('spends: what starts a job (and so is held to the server rules and the limits)', () => {
  it('every command but the free ones', () => {
    for (const name of ['imagine', 'blend', 'describe', 'shorten'])
      expect(spends(command(name), null), name).toBe(true);
    for (const name of ['help', 'settings', 'info', 'mj-admin'])
      expect(spends(command(name), null), name).toBe(false);
  });

  it('upstream buttons, picks, describe again and retry; not the bot’s own controls', () => {
    expect(spends(component, { kind: 'btn', jobId: 'j', index: 0 })).toBe(true);
    expect(spends(component, { kind: 'pick', jobId: 'j', n: 1 })).toBe(true);
    const starting = new Set(['pickall', 'redescribe', 'retry']);
    for (const kind of JOB_ONLY_KINDS)
      expect(spends(component, { kind, jobId: 'j' }), kind).toBe(starting.has(kind));
    expect(spends(component, { kind: 'settings', field: 'mode' })).toBe(false);
  });

  it('every pop-up that starts a new job; remix continues one', () => {
    for (const form of MODAL_FORMS) {
      expect(spends(component, { kind: 'modal', form, jobId: 'j', index: 0 }), form).toBe(form !== 'remix');
    }
  });
});
