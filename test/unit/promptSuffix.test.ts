import { describe, expect, it } from 'vitest';
import { isValidSuffix, withSuffix } from '../../src/jobs/promptSuffix.js';

describe('withSuffix', () => {
  it('appends the suffix after the prompt', () => {
    expect(withSuffix('a red fox', '--ar 3:2 --v 6.1')).toBe('a red fox --ar 3:2 --v 6.1');
    expect(withSuffix('a red fox', '')).toBe('a red fox');
  });

  it('leaves out what the prompt sets itself, aliases included', () => {
    expect(withSuffix('a fox --ar 1:1', '--ar 3:2 --s 250')).toBe('a fox --ar 1:1 --s 250');
    expect(withSuffix('a fox --aspect 1:1 --stylize 50', '--ar 3:2 --s 250 --tile')).toBe(
      'a fox --aspect 1:1 --stylize 50 --tile',
    );
    expect(withSuffix('a fox --ar 1:1', '--ar 3:2')).toBe('a fox --ar 1:1');
  });

  it('keeps multi-word values together, and does not mistake words for parameters', () => {
    expect(withSuffix('no--dashes here', '--no text, watermark --style raw')).toBe(
      'no--dashes here --no text, watermark --style raw',
    );
  });
});

describe('isValidSuffix', () => {
  it('takes parameters only', () => {
    expect(isValidSuffix('')).toBe(true);
    expect(isValidSuffix('--ar 3:2')).toBe(true);
    expect(isValidSuffix('in the style of')).toBe(false);
    expect(isValidSuffix('-- ar')).toBe(false);
  });
});
