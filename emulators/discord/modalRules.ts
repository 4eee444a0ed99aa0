/**
 * Documented modal rules the OpenAPI document cannot express: a text input in a row is alone and has its own
 * label, inside a Label (type 18) it has none; min_length ≤ max_length and a prefilled value within them;
 * a file upload only inside a Label, min_values ≤ max_values; custom_ids unique; no modal in answer to a
 * modal submit.
 */
import type { FormIssue } from './formError.js';
import { duplicateIds, walkComponents } from './messageRules.js';
import type { ApiJson } from './types.js';

const MODAL_SUBMIT = 5;

function textInput(c: ApiJson, path: (string | number)[], inLabel: boolean): FormIssue[] {
  const issues: FormIssue[] = [];
  const at = (key: string, code: string, message: string) =>
    issues.push({ path: [...path, key], code, message });
  if (inLabel && c.label != null)
    at('label', 'BASE_TYPE_INVALID', 'A text input inside a Label takes its label from the Label.');
  if (!inLabel && !c.label) at('label', 'BASE_TYPE_REQUIRED', 'This field is required');
  const min = c.min_length ?? 0;
  const max = c.max_length ?? 4000;
  if (min > max) at('min_length', 'BASE_TYPE_BAD_LENGTH', `Must be between 0 and ${max}.`);
  if (typeof c.value === 'string' && c.value !== '' && (c.value.length < min || c.value.length > max))
    at('value', 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  return issues;
}

/** Issues of a modal (callback type 9) answered to an interaction of `interactionType`. */
export function modalRules(data: ApiJson, interactionType: number): FormIssue[] {
  if (interactionType === MODAL_SUBMIT)
    return [
      {
        path: ['type'],
        code: 'INTERACTION_RESPONSE_TYPE_INVALID',
        message: 'A modal cannot answer a modal submit.',
      },
    ];
  const top: ApiJson[] = Array.isArray(data?.components) ? data.components : [];
  const issues = duplicateIds(top, ['data', 'components']);
  if (top.length > 5)
    issues.push({
      path: ['data', 'components'],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 5 or fewer in length.',
    });
  for (const [i, c] of top.entries()) {
    const path = ['data', 'components', i];
    if (c?.type === 1) {
      const inner: ApiJson[] = Array.isArray(c.components) ? c.components : [];
      if (inner.length !== 1 || inner[0]?.type !== 4)
        issues.push({
          path: [...path, 'components'],
          code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
          message: 'A modal row holds one text input.',
        });
      for (const [j, x] of inner.entries())
        if (x?.type === 4) issues.push(...textInput(x, [...path, 'components', j], false));
    }
    if (c?.type === 18) {
      const inner = c.component;
      if (inner?.type === 4) issues.push(...textInput(inner, [...path, 'component'], true));
      if (inner?.type === 19 && (inner.min_values ?? 1) > (inner.max_values ?? 1))
        issues.push({
          path: [...path, 'component', 'min_values'],
          code: 'BASE_TYPE_BAD_LENGTH',
          message: 'Must be at most max_values.',
        });
    }
  }
  for (const [c, path] of walkComponents(top, ['data', 'components']))
    if (c?.type === 19 && path.at(-1) !== 'component')
      issues.push({ path, code: 'BASE_TYPE_INVALID', message: 'A file upload must be inside a Label.' });
  return issues;
}
