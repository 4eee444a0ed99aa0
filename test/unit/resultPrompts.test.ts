import { describe, expect, it } from 'vitest';
import { resultPrompts } from '../../src/jobs/results.js';

const task = (patch: Partial<NonNullable<Parameters<typeof resultPrompts>[0]['task']>>) => ({
  action: null,
  finalPrompt: null,
  promptEn: null,
  description: null,
  ...patch,
});

describe('resultPrompts', () => {
  it('reads a describe result from finalPrompt, else promptEn', () => {
    const text = '1️⃣ Cat --ar 5:4\n\n2️⃣ Cat2 --ar 5:4';
    expect(resultPrompts({ kind: 'describe', task: task({ finalPrompt: text }) })).toEqual([
      'Cat --ar 5:4',
      'Cat2 --ar 5:4',
    ]);
    expect(
      resultPrompts({ kind: 'action', task: task({ action: 'DESCRIBE', promptEn: text }) }),
    ).toHaveLength(2);
  });

  it('reads the shortened prompts of a shorten result, from finalPrompt or (TA) the description', () => {
    const analysis = '## Important tokens\n**a** ~~b~~\n## Shortened prompts\n1️⃣ a b c\n\n2️⃣ a b';
    expect(resultPrompts({ kind: 'shorten', task: task({ finalPrompt: analysis }) })).toEqual([
      'a b c',
      'a b',
    ]);
    expect(
      resultPrompts({ kind: 'shorten', task: task({ finalPrompt: 'a b c d', description: analysis }) }),
    ).toEqual(['a b c', 'a b']);
  });

  it('gives nothing for a job without a result', () => {
    expect(resultPrompts({ kind: 'describe', task: null })).toEqual([]);
  });
});
