// Console logging that never prints the bot token, even when an error message happens to contain it.

// Shape of a Discord bot token: base64 user id, timestamp, HMAC.
const TOKEN_SHAPE = /[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g;

/** Replaces every occurrence of the secrets, and anything shaped like a bot token, with [redacted]. */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  return out.replace(TOKEN_SHAPE, '[redacted]');
}

export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

/** One line per event; errors show their message (and stack for unexpected ones), token removed. */
export function createLogger(secrets: Array<string | undefined>, write: (line: string) => void = (l) => console.error(l)): Logger {
  return {
    info: (message) => write(redact(message, secrets)),
    error: (message, error) => {
      const detail = error instanceof Error ? (error.name === 'UserError' ? error.message : (error.stack ?? error.message)) : error === undefined ? '' : String(error);
      write(redact(detail ? `${message}: ${detail}` : message, secrets));
    },
  };
}
