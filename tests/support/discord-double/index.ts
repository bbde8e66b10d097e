// A loopback test double of Discord: the REST API (v10) on an HTTP server and the gateway on a WebSocket
// server, both on 127.0.0.1. A real discord.js Client logs in against it; tests then dispatch
// interactions and messages and inspect the HTTP requests the bot made.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gateway, type GatewaySession } from './gateway.ts';
import { parseBody, readBody, type UploadedFile } from './http-body.ts';
import { guild, member, message, textChannel, user, type ApiMessage, type ApiUser } from './payloads.ts';
import { fakeToken, shardOfGuild, snowflake } from './snowflake.ts';

export { fakeToken, shardOfGuild, snowflake } from './snowflake.ts';
export type { ApiMessage, ApiUser } from './payloads.ts';

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, e.g. /interactions/1/abc/callback. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  json: any;
  files: UploadedFile[];
  multipart: boolean;
  status: number;
}

export interface DoubleOptions {
  /** Shards recommended by GET /gateway/bot. */
  shards?: number;
  heartbeatIntervalMs?: number;
  /** Intent bits the application may not use. */
  disallowedIntents?: number;
}

interface RateLimitRule {
  method: string;
  path: RegExp;
  retryAfter: number;
  global: boolean;
}

interface InteractionState {
  id: string;
  token: string;
  applicationId: string;
  channelId: string;
  guildId: string;
  originalId?: string;
  callbacks: number;
}

type CommandOption = { name: string; type: number; options?: CommandOption[] };

/** Gateway intent bits the double honours when delivering messages. */
export const INTENT = { Guilds: 1 << 0, GuildMessages: 1 << 9, DirectMessages: 1 << 12, MessageContent: 1 << 15 } as const;
type CommandJson = { name: string; options?: CommandOption[] };

const API_PREFIX = '/api/v10';

export class DiscordDouble {
  readonly applicationId = snowflake();
  readonly token = fakeToken(this.applicationId);
  readonly botUser: ApiUser = user(this.applicationId, 'storyteller', true);
  readonly guildId: string;
  readonly channelId: string;
  /** A second text channel in the guild (for per-channel settings such as open chat channels). */
  readonly secondChannelId = snowflake();
  readonly people: ApiUser[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly messages = new Map<string, ApiMessage>();
  readonly interactions = new Map<string, InteractionState>();
  readonly commands = new Map<string, unknown[]>();
  /** DM channel id per user id. */
  readonly dmChannels = new Map<string, string>();
  readonly gateway: Gateway;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly waiters = new Set<() => void>();
  private port = 0;

  constructor(private readonly options: DoubleOptions = {}) {
    this.guildId = snowflake();
    this.channelId = snowflake();
    this.gateway = new Gateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      disallowedIntents: options.disallowedIntents ?? 0,
      ready: (s) => this.readyPayload(s),
      guildsFor: (shard) => (shardOfGuild(this.guildId, shard[1]) === shard[0] ? [this.guildPayload()] : []),
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/gateway')) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** REST base to give discord.js (`rest: { api }`); it appends /v10. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** A guild member the tests act as. */
  person(name: string): ApiUser {
    const u = user(snowflake(), name);
    this.people.push(u);
    return u;
  }

  // ---- gateway payloads ----

  private readyPayload(s: GatewaySession) {
    return {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: [{ id: this.guildId, unavailable: true }].filter(
        (g) => shardOfGuild(g.id, s.identify?.shard?.[1] ?? 1) === (s.identify?.shard?.[0] ?? 0),
      ),
      session_id: s.sessionId,
      resume_gateway_url: this.gatewayUrl,
      shard: s.identify?.shard,
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
    };
  }

  private guildPayload() {
    return guild(this.guildId, 'Story Time', this.people[0]?.id ?? this.applicationId, [textChannel(this.channelId, this.guildId, 'stories'), textChannel(this.secondChannelId, this.guildId, 'chat')], [
      member(this.botUser),
      ...this.people.map(member),
    ]);
  }

  // ---- what tests send ----

  /** Dispatches a slash command as typed by `from`; option types come from the command's JSON. */
  slashCommand(command: CommandJson, values: Record<string, string | number | boolean>, from: ApiUser): InteractionState {
    const options = Object.entries(values).map(([name, value]) => {
      const decl = command.options?.find((o) => o.name === name);
      if (!decl) throw new Error(`/${command.name} has no option ${name}`);
      return { name, type: decl.type, value };
    });
    return this.interaction(2, { id: snowflake(), name: command.name, type: 1, options, guild_id: this.guildId }, from);
  }

  /** Dispatches a button press on a message the bot sent. */
  pressButton(messageId: string, customId: string, from: ApiUser): InteractionState {
    const msg = this.messages.get(messageId);
    if (!msg) throw new Error(`no message ${messageId}`);
    return this.interaction(3, { custom_id: customId, component_type: 2 }, from, { message: msg });
  }

  private interaction(type: number, data: unknown, from: ApiUser, extra: Record<string, unknown> = {}): InteractionState {
    const state: InteractionState = {
      id: snowflake(),
      token: `itoken-${snowflake()}`,
      applicationId: this.applicationId,
      channelId: this.channelId,
      guildId: this.guildId,
      callbacks: 0,
    };
    this.interactions.set(state.token, state);
    this.gateway.dispatch(
      'INTERACTION_CREATE',
      {
        id: state.id,
        application_id: this.applicationId,
        type,
        data,
        guild_id: this.guildId,
        guild: { id: this.guildId, locale: 'en-US', features: [] },
        channel_id: this.channelId,
        channel: { ...textChannel(this.channelId, this.guildId, 'stories'), permissions: '2251799813685247' },
        member: member(from),
        token: state.token,
        version: 1,
        app_permissions: '2251799813685247',
        locale: 'en-US',
        guild_locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { '0': this.guildId },
        context: 0,
        attachment_size_limit: 10_485_760,
        ...extra,
      },
      this.guildId,
    );
    return state;
  }

  /**
   * A channel message from `from`, dispatched as MESSAGE_CREATE; mentions are given as users. As on
   * Discord, sessions without the GuildMessages intent do not get it, and without the privileged
   * MessageContent intent its text (and embeds, attachments) arrive empty unless it mentions the bot.
   */
  userMessage(content: string, from: ApiUser, mentions: ApiUser[] = [], channelId = this.channelId): ApiMessage {
    const msg = message(channelId, this.guildId, from, content, { mentions });
    this.messages.set(msg.id, msg);
    const full = { ...msg, member: { ...member(from), user: undefined } };
    const mentionsBot = mentions.some((u) => u.id === this.botUser.id);
    this.gateway.dispatch('MESSAGE_CREATE', full, this.guildId, (s) => {
      const intents = s.identify!.intents;
      if (!(intents & INTENT.GuildMessages)) return undefined;
      return intents & INTENT.MessageContent || mentionsBot ? full : { ...full, content: '', embeds: [], attachments: [] };
    });
    return msg;
  }

  /** A direct message from `from` to the bot; delivered, with its text, to sessions with DirectMessages. */
  directMessage(content: string, from: ApiUser): ApiMessage {
    let channelId = this.dmChannels.get(from.id);
    if (!channelId) this.dmChannels.set(from.id, (channelId = snowflake()));
    const msg = message(channelId, undefined, from, content);
    delete msg.guild_id;
    this.messages.set(msg.id, msg);
    this.gateway.dispatch('MESSAGE_CREATE', { ...msg, channel_type: 1 }, undefined, (s) =>
      s.identify!.intents & INTENT.DirectMessages ? { ...msg, channel_type: 1 } : undefined,
    );
    return msg;
  }

  /** The next request matching method and path gets a 429 with Retry-After (header and JSON body). */
  rateLimitOnce(method: string, path: RegExp, retryAfter = 1, global = false) {
    this.rateLimits.push({ method, path, retryAfter, global });
  }

  // ---- what tests check ----

  async waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 10_000, what = 'request'): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n  ');
        throw new Error(`timed out waiting for ${what}; requests so far:\n  ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 50);
        this.waiters.add(wake);
      });
    }
  }

  /** Requests made for one interaction (callback and webhook routes). */
  requestsFor(i: InteractionState): RecordedRequest[] {
    return this.requests.filter((r) => r.path.includes(`/${i.token}`));
  }

  // ---- REST ----

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API_PREFIX) ? pathname.slice(API_PREFIX.length) : pathname;
    const body = await parseBody(req.headers['content-type'], await readBody(req));
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, ...body, status: 0 };
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      this.requests.push(rec);
      res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
      for (const w of [...this.waiters]) w();
    };

    const limit = this.rateLimits.findIndex((r) => r.method === rec.method && r.path.test(path));
    if (limit >= 0) {
      const [rule] = this.rateLimits.splice(limit, 1);
      return reply(
        429,
        { message: 'You are being rate limited.', retry_after: rule.retryAfter, global: rule.global },
        {
          'retry-after': String(Math.ceil(rule.retryAfter)),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(rule.retryAfter),
          'x-ratelimit-scope': rule.global ? 'global' : 'user',
          ...(rule.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      );
    }

    // Interaction and webhook-token routes are authenticated by their token; everything else by the bot token.
    const tokenRoute = /^\/(interactions|webhooks)\//.test(path);
    if (!tokenRoute && req.headers.authorization !== `Bot ${this.token}`) {
      return reply(401, { message: '401: Unauthorized', code: 0 });
    }

    const route = (method: string, pattern: RegExp) => (rec.method === method ? pattern.exec(path) : null);
    let m: RegExpExecArray | null;

    if (route('GET', /^\/gateway\/bot$/)) {
      return reply(200, {
        url: this.gatewayUrl,
        shards: this.options.shards ?? 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (route('GET', /^\/gateway$/)) return reply(200, { url: this.gatewayUrl });
    if (route('GET', /^\/users\/@me$/)) return reply(200, this.botUser);
    if (route('GET', /^\/applications\/@me$/)) return reply(200, { id: this.applicationId, name: 'storyteller', flags: 0, bot: this.botUser });
    if ((m = route('PUT', /^\/applications\/(\d+)\/commands$/) ?? route('PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/))) {
      if (m[1] !== this.applicationId) return reply(404, { message: 'Unknown Application', code: 10002 });
      const registered = (rec.json as Array<Record<string, unknown>>).map((c) => ({ ...c, id: snowflake(), application_id: m![1], version: snowflake(), guild_id: m![2] }));
      this.commands.set(m[2] ?? 'global', registered);
      return reply(200, registered);
    }
    if ((m = route('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const state = this.interactions.get(m[2]);
      if (!state || state.id !== m[1]) return reply(404, { message: 'Unknown interaction', code: 10062 });
      if (state.callbacks++) return reply(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      const { type, data } = rec.json as { type: number; data?: Partial<ApiMessage> };
      // 4: reply, 5: deferred reply ("thinking…"); both create the original response message.
      if (type === 4 || type === 5) {
        const msg = this.botMessage(data ?? {}, type === 5 ? { flags: 128 | (data?.flags ?? 0) } : {});
        state.originalId = msg.id;
      }
      const resource = state.originalId ? { type, message: this.messages.get(state.originalId) } : { type };
      return rec.query.get('with_response') === 'true'
        ? reply(200, { interaction: { id: state.id, type: 2 }, resource })
        : reply(204);
    }
    if ((m = route('PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/))) {
      const state = this.interactions.get(m[2]);
      const id = m[3] === '@original' ? state?.originalId : m[3];
      const msg = id ? this.messages.get(id) : undefined;
      if (!state || !msg || m[1] !== state.applicationId) return reply(404, { message: 'Unknown Message', code: 10008 });
      Object.assign(msg, this.messageFields(rec.json ?? {}, rec.files), { edited_timestamp: new Date().toISOString() });
      msg.flags &= ~128;
      return reply(200, msg);
    }
    if ((m = route('DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/))) {
      const state = this.interactions.get(m[2]);
      const id = m[3] === '@original' ? state?.originalId : m[3];
      if (!id || !this.messages.delete(id)) return reply(404, { message: 'Unknown Message', code: 10008 });
      return reply(204);
    }
    if ((m = route('POST', /^\/webhooks\/(\d+)\/([^/]+)$/))) {
      if (!this.interactions.has(m[2])) return reply(404, { message: 'Unknown Webhook', code: 10015 });
      return reply(200, this.botMessage(rec.json ?? {}, {}, rec.files));
    }
    if ((m = route('POST', /^\/channels\/(\d+)\/messages$/))) {
      const dm = [...this.dmChannels.values()].includes(m[1]);
      if (m[1] !== this.channelId && m[1] !== this.secondChannelId && !dm) return reply(404, { message: 'Unknown Channel', code: 10003 });
      return reply(200, this.botMessage(rec.json ?? {}, { channel_id: m[1], ...(dm ? { guild_id: undefined } : {}) }, rec.files));
    }
    if (route('POST', /^\/channels\/(\d+)\/typing$/)) return reply(204);
    return reply(404, { message: `the double has no route ${rec.method} ${path}`, code: 0 });
  }

  private messageFields(json: Record<string, any>, files: UploadedFile[]): Partial<ApiMessage> {
    const out: Partial<ApiMessage> = {};
    if ('content' in json) out.content = json.content ?? '';
    if ('components' in json) out.components = json.components ?? [];
    if ('embeds' in json) out.embeds = json.embeds ?? [];
    if ('flags' in json) out.flags = json.flags ?? 0;
    if (files.length || 'attachments' in json) {
      out.attachments = files.map((f) => {
        const id = snowflake();
        return { id, filename: f.filename, size: f.data.length, content_type: f.contentType, url: `http://127.0.0.1:${this.port}/attachments/${id}/${f.filename}`, proxy_url: `http://127.0.0.1:${this.port}/attachments/${id}/${f.filename}` };
      });
    }
    return out;
  }

  private botMessage(json: Record<string, any>, overrides: Partial<ApiMessage>, files: UploadedFile[] = []): ApiMessage {
    const channelId = overrides.channel_id ?? this.channelId;
    const guildId = 'guild_id' in overrides ? overrides.guild_id : this.guildId;
    const msg = message(channelId, guildId, this.botUser, '', {
      application_id: this.applicationId,
      ...this.messageFields(json, files),
      ...(json.message_reference ? { type: 19, message_reference: { ...json.message_reference, channel_id: channelId, guild_id: guildId } } : {}),
      ...overrides,
    });
    this.messages.set(msg.id, msg);
    return msg;
  }

  async close() {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startDiscordDouble(options: DoubleOptions = {}): Promise<DiscordDouble> {
  return new DiscordDouble(options).listen();
}
