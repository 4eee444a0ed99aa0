import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../src/i18n/en.js';
import { LOCALES, resolveLocale, t } from '../../src/i18n/index.js';
import { zhCN } from '../../src/i18n/zh-CN.js';
import type { FailureKind } from '../../src/jobs/types.js';

const vars = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('catalogues', () => {
  it('have the same keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same variables in every language, and no empty message', () => {
    for (const key of Object.keys(en) as MessageKey[]) {
      expect(vars(zhCN[key]), key).toEqual(vars(en[key]));
      expect(en[key].trim(), key).not.toBe('');
      expect(zhCN[key].trim(), key).not.toBe('');
    }
  });

  it('explain every failure kind', () => {
    const kinds: FailureKind[] = [
      'upstream_failure',
      'rejected',
      'banned',
      'queue_full',
      'unknown_outcome',
      'deadline',
      'vanished',
      'auth',
      'unavailable',
      'cancelled',
      'not_sent',
    ];
    for (const kind of kinds) {
      expect(t('en', `failure.${kind}`)).not.toBe(`failure.${kind}`);
      expect(t('zh-CN', `failure.${kind}`)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('keep modal titles within 45 characters', () => {
    for (const locale of LOCALES) {
      for (const key of [
        'modal.remixTitle',
        'modal.zoomTitle',
        'modal.regionTitle',
        'modal.pickTitle',
      ] as const) {
        expect(t(locale, key).length).toBeLessThanOrEqual(45);
      }
    }
  });
});

describe('t', () => {
  it('interpolates variables', () => {
    expect(t('en', 'child.image', { n: 2, user: '<@1>' })).toBe('Image #2 <@1>');
    expect(t('zh-CN', 'child.image', { n: 2, user: '<@1>' })).toBe('<@1> 的第 2 张图');
    expect(t('en', 'failure.banned', { word: 'nude' })).toContain('**nude**');
    expect(t('en', 'status.progress', { percent: 0 })).toBe('0%');
  });

  it('leaves unknown or missing variables in place and does not re-interpolate values', () => {
    expect(t('en', 'child.image', { n: 1 })).toBe('Image #1 {user}');
    expect(t('en', 'child.image')).toBe('Image #{n} {user}');
    expect(t('en', 'child.image', { n: '{user}', user: 'x' })).toBe('Image #{user} x');
    expect(t('en', 'child.image', { n: 1, user: '$&' })).toBe('Image #1 $&');
  });

  it('falls back to English for other locales', () => {
    expect(t('fr', 'status.waiting')).toBe('Waiting to start');
    expect(t('zh-CN', 'status.waiting')).toBe('等待开始');
    expect(t(undefined, 'button.retry')).toBe('Retry');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh_cn', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['ja', 'en'],
    ['zhx', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (input, expected) => {
    expect(resolveLocale(input)).toBe(expected);
  });
});
