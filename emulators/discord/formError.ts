/** Discord's 400 / 50035 "Invalid Form Body": every problem nested under its path, as Discord answers. */
import { apiError, type Reply } from './http.js';

/** One problem of a body: where (`['components', 0, 'custom_id']`), Discord's code, and its wording. */
export interface FormIssue {
  path: (string | number)[];
  code: string;
  message: string;
}

type Node = { _errors?: { code: string; message: string }[]; [key: string]: unknown };

/** `{ components: { 0: { custom_id: { _errors: [{ code, message }] } } } }` */
export function nestErrors(issues: FormIssue[]): Node {
  const root: Node = {};
  for (const { path, code, message } of issues) {
    let node = root;
    for (const key of path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Node;
    }
    node._errors ??= [];
    node._errors.push({ code, message });
  }
  return root;
}

/** The 400 reply for `issues`, or null when there are none. */
export function formError(issues: FormIssue[]): Reply | null {
  if (issues.length === 0) return null;
  return apiError(400, 50035, 'Invalid Form Body', { errors: nestErrors(issues) });
}

/** Parses a dotted path (`'components.0.custom_id'`) into a {@link FormIssue} path. */
export function pathOf(dotted: string): (string | number)[] {
  if (dotted === '') return [];
  return dotted.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
