// The gateway half of the double: a WebSocket server speaking Discord's gateway protocol v10 (JSON,
// uncompressed): HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs, and dispatches on demand.
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { shardOfGuild } from './snowflake.ts';

export const OP = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

export interface Identify {
  token: string;
  intents: number;
  shard?: [number, number];
  properties: Record<string, string>;
}

export interface GatewaySession {
  socket: WebSocket;
  query: URLSearchParams;
  identify?: Identify;
  seq: number;
  heartbeats: number;
  sessionId: string;
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Intent bits the application may not use (Discord closes with 4014). */
  disallowedIntents: number;
  ready(session: GatewaySession): unknown;
  guildsFor(shard: [number, number]): unknown[];
}

export class Gateway {
  readonly server = new WebSocketServer({ noServer: true });
  readonly sessions: GatewaySession[] = [];
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly options: GatewayOptions) {
    this.server.on('connection', (socket: WebSocket, req: IncomingMessage) => this.accept(socket, req));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.server.handleUpgrade(req, socket, head, (ws) => this.server.emit('connection', ws, req));
  }

  private accept(socket: WebSocket, req: IncomingMessage) {
    const session: GatewaySession = {
      socket,
      query: new URL(req.url ?? '/', 'http://127.0.0.1').searchParams,
      seq: 0,
      heartbeats: 0,
      sessionId: `session-${this.sessions.length + 1}`,
    };
    this.sessions.push(session);
    this.send(session, { op: OP.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
    socket.on('message', (data) => this.receive(session, JSON.parse(String(data))));
    socket.on('close', () => this.notify());
  }

  private receive(session: GatewaySession, payload: { op: number; d: any }) {
    switch (payload.op) {
      case OP.Heartbeat:
        session.heartbeats++;
        this.send(session, { op: OP.HeartbeatAck, d: null, s: null, t: null });
        break;
      case OP.Identify: {
        const d = payload.d as Identify;
        if (d.token !== this.options.token) {
          session.socket.close(4004, 'Authentication failed.');
          break;
        }
        if (d.intents & this.options.disallowedIntents) {
          session.socket.close(4014, 'Disallowed intent(s).');
          break;
        }
        session.identify = d;
        const shard = d.shard ?? [0, 1];
        this.dispatchTo(session, 'READY', this.options.ready(session));
        for (const g of this.options.guildsFor(shard)) this.dispatchTo(session, 'GUILD_CREATE', g);
        break;
      }
      case OP.Resume:
        // Sessions are not kept across connections: ask the client to identify afresh.
        this.send(session, { op: OP.InvalidSession, d: false, s: null, t: null });
        break;
      default:
        break;
    }
    this.notify();
  }

  private send(session: GatewaySession, payload: unknown) {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  dispatchTo(session: GatewaySession, t: string, d: unknown) {
    this.send(session, { op: OP.Dispatch, t, s: ++session.seq, d });
  }

  /**
   * Sends an event to the identified session that owns the guild (all sessions when there is no guild).
   * `shape` adapts the payload to what a session's intents allow; undefined means it is not delivered.
   */
  dispatch(t: string, d: unknown, guildId?: string, shape: (session: GatewaySession) => unknown = () => d) {
    const live = this.sessions.filter((s) => s.identify && s.socket.readyState === s.socket.OPEN);
    const targets = guildId
      ? live.filter((s) => shardOfGuild(guildId, s.identify!.shard?.[1] ?? 1) === (s.identify!.shard?.[0] ?? 0))
      : live;
    if (!targets.length) throw new Error(`no identified gateway session for ${t}`);
    for (const s of targets) {
      const payload = shape(s);
      if (payload !== undefined) this.dispatchTo(s, t, payload);
    }
  }

  get identified(): GatewaySession[] {
    return this.sessions.filter((s) => s.identify);
  }

  /** Resolves once the condition holds (checked after every gateway message). */
  async until(condition: () => boolean, timeoutMs = 10_000, what = 'gateway condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify() {
    for (const w of this.waiters.splice(0)) w();
  }

  async close() {
    for (const s of this.sessions) s.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
