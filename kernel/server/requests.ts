/**
 * The content each request must have (messaging protocol 5.3), checked before a request is
 * handled: a correctly signed request with a field of the wrong type is answered with an
 * error that names the field, instead of being half-handled. Optional fields may be absent
 * or null; unknown fields are ignored (later protocol versions add some).
 */
import type { JSONObject } from '../protocol/wire.js';

type Kind = 'string' | 'boolean' | 'object' | 'integer' | 'count';

interface Field {
  kind: Kind;
  required?: boolean;
  /** The accepted values, for enumerations. */
  oneOf?: readonly unknown[];
}

const CODE: Field = { kind: 'string', required: true };

export const REQUEST_FIELDS: Record<string, Record<string, Field>> = {
  execute_request: {
    code: CODE,
    silent: { kind: 'boolean' },
    store_history: { kind: 'boolean' },
    user_expressions: { kind: 'object' },
    allow_stdin: { kind: 'boolean' },
    stop_on_error: { kind: 'boolean' },
  },
  complete_request: { code: CODE, cursor_pos: { kind: 'count' } },
  inspect_request: { code: CODE, cursor_pos: { kind: 'count' }, detail_level: { kind: 'integer', oneOf: [0, 1] } },
  is_complete_request: { code: CODE },
  history_request: {
    output: { kind: 'boolean' },
    raw: { kind: 'boolean' },
    hist_access_type: { kind: 'string', oneOf: ['range', 'tail', 'search'] },
    session: { kind: 'integer' },
    start: { kind: 'integer' },
    stop: { kind: 'integer' },
    n: { kind: 'count' },
    pattern: { kind: 'string' },
    unique: { kind: 'boolean' },
  },
  comm_info_request: { target_name: { kind: 'string' } },
  comm_open: { comm_id: { kind: 'string', required: true }, target_name: { kind: 'string', required: true }, data: { kind: 'object' } },
  comm_msg: { comm_id: { kind: 'string', required: true }, data: { kind: 'object' } },
  comm_close: { comm_id: { kind: 'string', required: true }, data: { kind: 'object' } },
  shutdown_request: { restart: { kind: 'boolean' } },
  kernel_info_request: {},
  interrupt_request: {},
  input_reply: { value: { kind: 'string' }, status: { kind: 'string' } },
};

function describe(kind: Kind): string {
  switch (kind) {
    case 'object':
      return 'a JSON object';
    case 'integer':
      return 'an integer';
    case 'count':
      return 'an integer >= 0';
    default:
      return `a ${kind}`;
  }
}

function fits(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0;
    default:
      return typeof value === kind;
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Why `content` is not a valid `msgType` request, or undefined when it is (or the type is not known here). */
export function invalidRequest(msgType: string, content: JSONObject): string | undefined {
  const fields = REQUEST_FIELDS[msgType];
  if (!fields) return undefined;
  for (const [name, field] of Object.entries(fields)) {
    const value = content[name];
    if (value === undefined || value === null) {
      if (field.required) return `${msgType}: content.${name} is required (${describe(field.kind)})`;
      continue;
    }
    if (!fits(value, field.kind)) return `${msgType}: content.${name} must be ${describe(field.kind)}, got ${show(value)}`;
    if (field.oneOf && !field.oneOf.includes(value)) {
      return `${msgType}: content.${name} must be one of ${field.oneOf.map(show).join(', ')}, got ${show(value)}`;
    }
  }
  return undefined;
}

/** The reply type of a request (`execute_request` -> `execute_reply`); undefined for messages without one. */
export function replyType(msgType: string): string | undefined {
  return msgType.endsWith('_request') ? msgType.replace(/_request$/, '_reply') : undefined;
}
