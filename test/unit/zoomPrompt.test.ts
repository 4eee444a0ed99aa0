import { describe, expect, it } from 'vitest';
import { checkZoom, withZoom } from '../../src/interactions/handlers/zoomPrompt.js';

describe('withZoom', () => {
  it('appends --zoom 2 to the prompt, keeping its other parameters', () => {
    expect(withZoom('a red fox --ar 3:2 --v 6.1')).toBe('a red fox --ar 3:2 --v 6.1 --zoom 2');
  });

  it('replaces a zoom already there', () => {
    expect(withZoom('a red fox --zoom 1.5 --ar 3:2')).toBe('a red fox --ar 3:2 --zoom 2');
    expect(withZoom('a red fox --ZOOM 1.2', 1.5)).toBe('a red fox --zoom 1.5');
  });

  it('gives the bare parameter for an empty prompt', () => {
    expect(withZoom('')).toBe('--zoom 2');
  });
});

describe('checkZoom', () => {
  it.each([
    ['a fox --zoom 2', 2],
    ['a fox --zoom 1', 1],
    ['a fox --zoom 1.0', 1],
    ['a fox --zoom 1.75 --ar 16:9', 1.75],
    ['a fox --zoom 1.2 --zoom 1.8', 1.8],
  ])('accepts %s', (prompt, zoom) => {
    expect(checkZoom(prompt)).toEqual({ ok: true, zoom });
  });

  it.each([
    ['a fox --zoom 2.5', '2.5'],
    ['a fox --zoom 0.5', '0.5'],
    ['a fox --zoom abc', 'abc'],
    ['a fox --zoom -1', '-1'],
    ['a fox --zoom', '—'],
    ['a fox --zoom --ar 1:1', '—'],
    ['a fox --zoom 3 --zoom 1.5', '3'],
  ])('refuses %s', (prompt, value) => {
    expect(checkZoom(prompt)).toEqual({ ok: false, reason: 'range', value });
  });

  it('says when the zoom is missing', () => {
    expect(checkZoom('a fox --ar 3:2')).toEqual({ ok: false, reason: 'missing' });
    expect(checkZoom('a fox--zoom 2')).toEqual({ ok: false, reason: 'missing' });
  });
});
