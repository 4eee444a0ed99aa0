/** The page's own words (what the bot says comes from the bot, in the interaction's language). */
import { store } from './store.js';

const EN = {
  actingAs: 'Acting as',
  owner: 'server owner',
  member: 'member',
  moderator: 'moderator (Manage Server)',
  textChannels: 'Text channels',
  directMessages: 'Direct messages',
  bot: 'BOT',
  onlyYou: 'Only you can see this',
  dismiss: 'Dismiss message',
  thinking: 'is thinking…',
  edited: '(edited)',
  used: 'used',
  placeholder: 'Message #{channel} — type / for commands',
  placeholderDm: 'Message @{bot} — type / for commands, or a prompt',
  noCommands: 'No commands match',
  send: 'Send',
  required: 'required',
  missing: 'Fill in the required options: {names}',
  addOption: 'Add',
  cancel: 'Cancel',
  submit: 'Submit',
  choose: 'Choose…',
  welcome: 'Welcome to #{channel}! Type / to see the bot’s commands, e.g. /imagine.',
  jumped: 'The message it replies to is not loaded',
  upstreamSim: 'Upstream: local simulator (prompts with “fail” fail)',
  upstreamReal: 'Upstream: your real midjourney-proxy',
  apps: 'Apps',
  noApps: 'No apps for this message here',
  more: 'More',
  attach: 'Upload files',
};

const ZH: typeof EN = {
  actingAs: '当前身份',
  owner: '服务器所有者',
  member: '普通成员',
  moderator: '管理员（管理服务器）',
  textChannels: '文字频道',
  directMessages: '私信',
  bot: '机器人',
  onlyYou: '仅你可见',
  dismiss: '忽略消息',
  thinking: '正在思考…',
  edited: '（已编辑）',
  used: '使用了',
  placeholder: '给 #{channel} 发消息 — 输入 / 查看命令',
  placeholderDm: '给 @{bot} 发消息 — 输入 / 查看命令，或直接写提示词',
  noCommands: '没有匹配的命令',
  send: '发送',
  required: '必填',
  missing: '请填写必填选项：{names}',
  addOption: '添加',
  cancel: '取消',
  submit: '提交',
  choose: '请选择…',
  welcome: '欢迎来到 #{channel}！输入 / 查看机器人的命令，例如 /imagine。',
  jumped: '它回复的消息未加载',
  upstreamSim: '上游：本地模拟器（含 “fail” 的提示词会失败）',
  upstreamReal: '上游：你的 midjourney-proxy',
  apps: '应用',
  noApps: '此处没有可用于该消息的应用',
  more: '更多',
  attach: '上传文件',
};

export type Key = keyof typeof EN;

export function tr(key: Key, vars: Record<string, string> = {}): string {
  const text = (store.locale === 'zh-CN' ? ZH : EN)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

/** A command's (or option's, or choice's) name or description in the current language. */
export function localized(item: { [k: string]: unknown }, field: 'name' | 'description'): string {
  const map = item[`${field}_localizations`] as Record<string, string> | undefined;
  return (store.locale === 'zh-CN' ? map?.['zh-CN'] : undefined) ?? String(item[field] ?? '');
}
