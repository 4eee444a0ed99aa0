import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import type { Command } from '../../src/interactions/command.js';
import { ROUTES, type RouteTable, routeOf } from '../../src/interactions/routes.js';
import {
  CUSTOM_ID_KINDS,
  type CustomIdData,
  type CustomIdKind,
  MODAL_FORMS,
  type ModalForm,
  makeCustomId,
  parseCustomId,
} from '../../src/render/customId.js';

/** One parsed custom_id of every kind the codec knows, and of every modal form, built from the wire. */
function everyCustomId(): CustomIdData[] {
  const sample = {
    jobId: 'job1',
    index: 0,
    n: 1,
    field: 'remix',
    menuForm: 'imagine',
    messageId: '1234567890123456789',
  } as const;
  const out: CustomIdData[] = [];
  for (const [kind, names] of Object.entries(CUSTOM_ID_KINDS)) {
    const forms = (names as readonly string[]).includes('form') ? MODAL_FORMS : [undefined];
    for (const form of forms) {
      const args = names.map((name) => (name === 'form' ? form : sample[name]));
      const data = parseCustomId(['mj1', kind, ...args].join(':'));
      expect(data, `${kind} ${form ?? ''}`).not.toBeNull();
      if (data) out.push(data);
    }
  }
  return out;
}

const nameOf = (data: CustomIdData) => (data.kind === 'modal' ? `modal.${data.form}` : data.kind);

describe('the route table', () => {
  it('routes every kind the codec can parse, with a spending decision and a handler', () => {
    const all = everyCustomId();
    expect(all.length).toBe(Object.keys(CUSTOM_ID_KINDS).length - 1 + MODAL_FORMS.length);
    for (const data of all) {
      const route = routeOf(data);
      expect(typeof route.spends, nameOf(data)).toBe('boolean');
      const handlers = [route.button, route.select, route.modal].filter((h) => typeof h === 'function');
      expect(handlers.length, nameOf(data)).toBeGreaterThan(0);
      expect(parseCustomId(makeCustomId(data))).toEqual(data);
    }
  });

  it('spends for upstream buttons, picks, describe again and retry; not for the bot’s own controls', () => {
    // Decided today; a kind added later is decided in the route table (and checked there by the compiler).
    const today: Partial<Record<Exclude<CustomIdKind, 'modal'>, boolean>> = {
      btn: true,
      pick: true,
      pickall: true,
      redescribe: true,
      retry: true,
      remix: false,
      seed: false,
      check: false,
      cancel: false,
      delete: false,
      dm: false,
      settings: false,
      menu: true,
    };
    for (const [kind, spends] of Object.entries(today)) {
      expect(ROUTES[kind as keyof typeof today].spends, kind).toBe(spends);
    }
  });

  it('spends for every pop-up that starts a new job; remix goes on with its own', () => {
    const today: Partial<Record<ModalForm, boolean>> = {
      zoom: true,
      region: true,
      pick: true,
      press: true,
      remix: false,
    };
    for (const [form, spends] of Object.entries(today)) {
      expect(ROUTES.modal[form as ModalForm].spends, form).toBe(spends);
    }
  });

  it('answers each interaction only where the bot shows it', () => {
    const answers = (data: CustomIdData) => {
      const route = routeOf(data);
      return ['button', 'select', 'modal'].filter((on) => on in route);
    };
    for (const data of everyCustomId()) {
      const expected =
        data.kind === 'settings'
          ? ['button', 'select', 'modal']
          : data.kind === 'modal' || data.kind === 'menu'
            ? ['modal']
            : ['button'];
      expect(answers(data), nameOf(data)).toEqual(expected);
    }
  });

  it('fails to compile without a route or a spending decision', () => {
    const { seed: _seed, ...withoutSeed } = ROUTES;
    const { zoom: _zoom, ...withoutZoom } = ROUTES.modal;
    const press = async () => {};
    // @ts-expect-error a kind without a route
    const missingKind: RouteTable = withoutSeed;
    // @ts-expect-error a modal form without a route
    const missingForm: RouteTable = { ...ROUTES, modal: withoutZoom };
    // @ts-expect-error a route without a spending decision
    const undecided: RouteTable = { ...ROUTES, seed: { button: press } };
    const complete: RouteTable = { ...ROUTES, seed: { spends: false, button: press } };
    expect([missingKind, missingForm, undecided, complete]).toHaveLength(4);
  });
});

describe('commands', () => {
  it('every command spends but help, settings, info, mj-admin and show', () => {
    const free = new Set(['help', 'settings', 'info', 'mj-admin', 'show']);
    const commands = loadCommands();
    expect(commands.size).toBeGreaterThan(free.size);
    for (const [name, command] of commands) expect(command.spends, name).toBe(!free.has(name));
  });

  it('a command without a spending decision fails to compile, and is refused by the loader', () => {
    const execute = async () => {};
    // @ts-expect-error `spends` is required
    const undecided: Command = { data: { name: 'x', description: 'x' }, execute };
    expect(() => loadCommands([undecided])).toThrow(/invalid command module/);
  });
});
