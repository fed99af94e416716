// One configuration parser for both runtimes: Workers vars/secrets and process.env carry the same names.
import * as v from 'valibot';

const url = (name: string) =>
  v.pipe(v.string(), v.trim(), v.url(`${name} must be a URL`));

const optionalText = v.optional(v.pipe(v.string(), v.trim()), '');

const ConfigSchema = v.object({
  LIBSQL_URL: v.pipe(
    v.string('LIBSQL_URL is missing'),
    v.trim(),
    v.regex(/^(file:|:memory:$|libsql:\/\/|https?:\/\/|wss?:\/\/)/, 'LIBSQL_URL must start with file:, libsql://, http(s):// or ws(s)://'),
  ),
  LIBSQL_AUTH_TOKEN: optionalText,
  PUBLIC_BASE_URL: v.pipe(url('PUBLIC_BASE_URL'), v.transform((s) => s.replace(/\/+$/, ''))),
  SESSION_SECRET: v.pipe(v.string('SESSION_SECRET is missing'), v.minLength(16, 'SESSION_SECRET must be at least 16 characters')),
  GOOGLE_SERVICE_ACCOUNT: optionalText,
  SHEET_ID: optionalText,
  GOOGLE_API_ROOT: v.optional(url('GOOGLE_API_ROOT'), 'https://sheets.googleapis.com/'),
  GOOGLE_TOKEN_URL: v.optional(url('GOOGLE_TOKEN_URL'), 'https://oauth2.googleapis.com/token'),
  TURNSTILE_SITE_KEY: optionalText,
  TURNSTILE_SECRET: optionalText,
  /** Turnstile's siteverify endpoint; set for tests or a relay. */
  /** Node behind a reverse proxy: take the client address from the proxy's X-Forwarded-For, not the socket. */
  TRUST_PROXY: v.optional(
    v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['1', '0', 'true', 'false', 'yes', 'no'], 'TRUST_PROXY must be true or false'), v.transform((s) => ['1', 'true', 'yes'].includes(s))),
    'false',
  ),
  TURNSTILE_VERIFY_URL: v.optional(url('TURNSTILE_VERIFY_URL'), 'https://challenges.cloudflare.com/turnstile/v0/siteverify'),
  /** Public submissions allowed per client address and form per minute. */
  SUBMIT_RATE_LIMIT: v.optional(v.pipe(v.string(), v.toNumber('SUBMIT_RATE_LIMIT must be a number'), v.integer('SUBMIT_RATE_LIMIT must be a whole number'), v.minValue(1, 'SUBMIT_RATE_LIMIT must be at least 1')), '60'),
  /** Notifications: the providers' API roots (relays and tests), extra hosts channels may point at, and Aliyun SMS. */
  WECOM_API_ROOT: v.optional(url('WECOM_API_ROOT'), 'https://qyapi.weixin.qq.com/'),
  DINGTALK_API_ROOT: v.optional(url('DINGTALK_API_ROOT'), 'https://oapi.dingtalk.com/'),
  SMS_API_ROOT: v.optional(url('SMS_API_ROOT'), 'https://dysmsapi.aliyuncs.com/'),
  NOTIFY_ALLOWED_HOSTS: v.optional(
    v.pipe(v.string(), v.transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))),
    '',
  ),
  SMS_ACCESS_KEY_ID: optionalText,
  SMS_ACCESS_KEY_SECRET: optionalText,
  SMS_SIGN_NAME: optionalText,
  /** The approved template for every SMS: one ${content} variable. */
  SMS_TEMPLATE_CODE: optionalText,
  /** The template for a tipster's receipt: ${code} and ${status}. */
  SMS_TIPSTER_TEMPLATE_CODE: optionalText,
});

const REQUIRED = ['LIBSQL_URL', 'PUBLIC_BASE_URL', 'SESSION_SECRET'] as const;

export type Config = v.InferOutput<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment, failing on the first missing or invalid variable with its name in the message. */
export function parseConfig(env: Record<string, unknown>): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.entries)) {
    const value = env[key];
    // Empty strings count as unset so that `FOO=` in a shell or an empty wrangler var takes the default.
    if (typeof value === 'string' && value.trim() === '') continue;
    if (value !== undefined) input[key] = typeof value === 'number' ? String(value) : value;
  }
  for (const key of REQUIRED) {
    if (input[key] === undefined || input[key] === '') throw new ConfigError(`Invalid configuration: ${key} is missing`);
  }
  const result = v.safeParse(ConfigSchema, input, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0]!;
    const key = v.getDotPath(issue) ?? 'configuration';
    const message = issue.message.includes(key) ? issue.message : `${key}: ${issue.message}`;
    throw new ConfigError(`Invalid configuration: ${message}`);
  }
  if (result.output.GOOGLE_SERVICE_ACCOUNT && !result.output.SHEET_ID) {
    throw new ConfigError('Invalid configuration: SHEET_ID is missing (GOOGLE_SERVICE_ACCOUNT is set)');
  }
  if (result.output.GOOGLE_SERVICE_ACCOUNT) {
    try {
      const key = JSON.parse(result.output.GOOGLE_SERVICE_ACCOUNT) as { client_email?: unknown; private_key?: unknown };
      if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') throw new Error();
    } catch {
      throw new ConfigError('Invalid configuration: GOOGLE_SERVICE_ACCOUNT must be the JSON key of a service account (client_email, private_key)');
    }
  }
  return result.output;
}
