import type { ButtonInteraction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { CustomIdData, CustomIdKind, CustomIdOf, ModalForm } from '../render/customId.js';
import type { BotContext } from './context.js';
import { pressCheck } from './handlers/check.js';
import { pressCancel, pressDelete, pressDm } from './handlers/controls.js';
import { openRemixModal, submitRemixModal } from './handlers/editPrompt.js';
import { submitMenuModal } from './handlers/messageMenu.js';
import { openPickModal, pressPickAll, submitPickModal } from './handlers/pick.js';
import { pressRedescribe } from './handlers/redescribe.js';
import { submitRegionModal } from './handlers/region.js';
import { submitRemixPressModal } from './handlers/remixFirst.js';
import { pressRetry } from './handlers/retry.js';
import { pressSeed } from './handlers/seed.js';
import { pressSettings, submitSettingsModal } from './handlers/settings.js';
import { pressUpstreamButton } from './handlers/upstreamButton.js';
import { submitZoomModal } from './handlers/zoom.js';

type Handler<I, D> = (ctx: BotContext, interaction: I, data: D) => Promise<void>;

/** What answers one custom_id: whether it spends, and its handler for each interaction that carries it. */
export interface Route<D> {
  /**
   * True when it starts a job, and so spends the server owner's upstream credit: it is held to the server's own
   * rules and to the limits before its handler runs (`policy.ts`).
   */
  spends: boolean;
  button?: Handler<ButtonInteraction, D>;
  select?: Handler<StringSelectMenuInteraction, D>;
  modal?: Handler<ModalSubmitInteraction, D>;
}

/** A route for every kind the codec knows, and one for every modal form: a missing one fails to compile. */
export type RouteTable = {
  [K in CustomIdKind]: K extends 'modal'
    ? { [F in ModalForm]: Route<CustomIdOf<'modal'>> }
    : Route<CustomIdOf<K>>;
};

/** Every button, select and modal the bot shows, what answers it and whether it spends. */
export const ROUTES: RouteTable = {
  btn: { spends: true, button: (ctx, i, { jobId, index }) => pressUpstreamButton(ctx, i, jobId, index) },
  pick: { spends: true, button: (ctx, i, { jobId, n }) => openPickModal(ctx, i, jobId, n) },
  pickall: { spends: true, button: (ctx, i, { jobId }) => pressPickAll(ctx, i, jobId) },
  redescribe: { spends: true, button: (ctx, i, { jobId }) => pressRedescribe(ctx, i, jobId) },
  retry: { spends: true, button: (ctx, i, { jobId }) => pressRetry(ctx, i, jobId) },
  // Opens the pop-up of a job waiting in MODAL; its submit goes on with that job (`modal.remix`).
  remix: { spends: false, button: (ctx, i, { jobId }) => openRemixModal(ctx, i, jobId) },
  seed: { spends: false, button: (ctx, i, { jobId }) => pressSeed(ctx, i, jobId) },
  check: { spends: false, button: (ctx, i, { jobId }) => pressCheck(ctx, i, jobId) },
  cancel: { spends: false, button: (ctx, i, { jobId }) => pressCancel(ctx, i, jobId) },
  delete: { spends: false, button: (ctx, i, { jobId }) => pressDelete(ctx, i, jobId) },
  dm: { spends: false, button: (ctx, i, { jobId }) => pressDm(ctx, i, jobId) },
  settings: {
    spends: false,
    button: (ctx, i, { field }) => pressSettings(ctx, i, field),
    select: (ctx, i, { field }) => pressSettings(ctx, i, field),
    modal: (ctx, i, { field }) => submitSettingsModal(ctx, i, field),
  },
  // The pop-up of a message context menu (Imagine from image, Blend images): its submit starts the job.
  menu: {
    spends: true,
    modal: (ctx, i, { menuForm, messageId }) => submitMenuModal(ctx, i, menuForm, messageId),
  },
  modal: {
    zoom: { spends: true, modal: (ctx, i, { jobId, index }) => submitZoomModal(ctx, i, jobId, index) },
    region: { spends: true, modal: (ctx, i, { jobId, index }) => submitRegionModal(ctx, i, jobId, index) },
    pick: { spends: true, modal: (ctx, i, { jobId, index }) => submitPickModal(ctx, i, jobId, index) },
    press: { spends: true, modal: (ctx, i, { jobId, index }) => submitRemixPressModal(ctx, i, jobId, index) },
    // Confirms the prompt of a job waiting in MODAL: the same job goes on, none starts.
    remix: { spends: false, modal: (ctx, i, { jobId }) => submitRemixModal(ctx, i, jobId) },
  },
};

/**
 * The route of a parsed custom_id. The table is keyed by the data's own kind (and form), so the route found takes
 * exactly this data; the cast only widens it for the router.
 */
export function routeOf(data: CustomIdData): Route<CustomIdData> {
  return (data.kind === 'modal' ? ROUTES.modal[data.form] : ROUTES[data.kind]) as Route<CustomIdData>;
}
