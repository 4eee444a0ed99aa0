/**
 * The naive tracker the bot is measured against, as many bots are written: a discord.js client that defers each
 * /imagine, submits it, then starts a timer for that one job which fetches its task every interval and edits the
 * reply on every poll, until the task ends. Same fake Discord, same upstream, same poll interval, own process
 * (built to `dist/bench/naive.js` and run with plain node, like the bot).
 */
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
} from 'discord.js';

const env = (key: string): string => process.env[key] ?? '';
const upstream = env('MJ_BASE_URL');
const headers = { authorization: `Bearer ${env('MJ_API_KEY')}`, 'content-type': 'application/json' };
const interval = Number(env('POLL_INTERVAL_MS'));

const buttons = ['U1', 'U2', 'U3', 'U4', 'V1'].map((label) =>
  new ButtonBuilder().setCustomId(`naive:${label}`).setLabel(label).setStyle(ButtonStyle.Secondary),
);
const row = new ActionRowBuilder<ButtonBuilder>().addComponents(buttons);

async function track(interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply();
  const prompt = interaction.options.getString('prompt', true);
  const head = `**${prompt}** - <@${interaction.user.id}>`;
  const res = await fetch(`${upstream}/mj/submit/imagine`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ prompt }),
  });
  const taskId = String(((await res.json()) as { result?: unknown }).result ?? '');
  void interaction.editReply(`${head} (Waiting to start)`).catch(() => undefined);
  const timer = setInterval(() => {
    void (async () => {
      const task = (await (await fetch(`${upstream}/mj/task/${taskId}/fetch`, { headers })).json()) as {
        status: string;
        progress: string | null;
        imageUrl: string | null;
      };
      const image = task.imageUrl ? [{ image: { url: task.imageUrl } }] : [];
      if (task.status === 'SUCCESS' || task.status === 'FAILURE') {
        clearInterval(timer);
        await interaction.editReply({ content: head, embeds: image, components: [row] });
        return;
      }
      await interaction.editReply({ content: `${head} (${task.progress ?? '0%'})`, embeds: image });
    })().catch(() => undefined);
  }, interval);
}

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env('DISCORD_API_BASE') } });
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isChatInputCommand()) void track(interaction).catch(() => undefined);
});
process.on('SIGTERM', () => void client.destroy().finally(() => process.exit(0)));
client.once(Events.ClientReady, () => process.send?.({ type: 'ready' }));
void client.login(env('DISCORD_TOKEN'));
